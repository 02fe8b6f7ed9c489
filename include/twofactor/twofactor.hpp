// twofactor: the umbrella header. Includes every core header of the library, and nothing from
// a third party: the OpenSSL backend (twofactor/openssl.hpp) is a separate opt-in header.
#ifndef TWOFACTOR_TWOFACTOR_HPP_INCLUDED
#define TWOFACTOR_TWOFACTOR_HPP_INCLUDED

#include "version.hpp"  // first: it checks for C++20

// In layer order (DESIGN.md), not sorted.
// clang-format off
#include "version.hpp"
#include "config.hpp"
#include "error.hpp"
#include "constant_time.hpp"
#include "hash.hpp"
#include "hmac.hpp"
#include "pbkdf2.hpp"
#include "otp_code.hpp"
#include "otp_parameters.hpp"
#include "hotp.hpp"
#include "totp.hpp"
#include "base32.hpp"
#include "qr.hpp"
#include "qr_render.hpp"
#include "random.hpp"
#include "secret.hpp"
#include "otpauth_migration.hpp"
#include "otpauth_uri.hpp"
#include "backup_codes.hpp"
#include "account.hpp"
#include "account_operations.hpp"
#include "enrollment_wizard.hpp"
// clang-format on

#endif  // TWOFACTOR_TWOFACTOR_HPP_INCLUDED

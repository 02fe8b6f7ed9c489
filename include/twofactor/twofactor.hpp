// twofactor: the umbrella header. Includes every core header of the library, and nothing from
// a third party: the OpenSSL backend (twofactor/openssl.hpp) is a separate opt-in header.
#pragma once

#include "version.hpp"
#include "config.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hmac.hpp"
#include "pbkdf2.hpp"
#include "otp_code.hpp"
#include "otp_parameters.hpp"
#include "hotp.hpp"
#include "totp.hpp"
#include "base32.hpp"

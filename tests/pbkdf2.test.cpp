// Tests of include/twofactor/pbkdf2.hpp: RFC 6070 and RFC 7914 vectors, and OpenSSL's
// PKCS5_PBKDF2_HMAC on random inputs.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <twofactor/pbkdf2.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "support/test_support.hpp"

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace bdata = boost::unit_test::data;
using twofactor_test::bytes_of;
using twofactor_test::to_hex;

namespace {

struct pbkdf2_vector {
    const char* source;
    std::string password;
    std::string salt;
    std::uint32_t iterations;
    std::size_t length;
    const char* expected_hex;
};
std::ostream& operator<<(std::ostream& out, const pbkdf2_vector& v) { return out << v.source; }

// RFC 6070 §2 (PBKDF2-HMAC-SHA1); the 16777216-iteration case is left out for time.
const pbkdf2_vector rfc6070[] = {
    {"RFC 6070 case 1", "password", "salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
    {"RFC 6070 case 2", "password", "salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
    {"RFC 6070 case 3", "password", "salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"},
    {"RFC 6070 case 5", "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25,
     "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
    {"RFC 6070 case 6", std::string("pass\0word", 9), std::string("sa\0lt", 5), 4096, 16,
     "56fa6aa75548099dcc37d7f03425e0c3"},
};

// RFC 7914 §11 (PBKDF2-HMAC-SHA256).
const pbkdf2_vector rfc7914[] = {
    {"RFC 7914 case 1", "passwd", "salt", 1, 64,
     "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b84"
     "5b1e30bd5"
     "09112041d3a19783"},
    {"RFC 7914 case 2", "Password", "NaCl", 80000, 64,
     "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bd"
     "ebba1d0"
     "78478f62b397f33c8d"},
};

template <class Hash>
std::string derive_hex(const pbkdf2_vector& v) {
    std::vector<std::byte> key(v.length);
    twofactor::pbkdf2<Hash>(bytes_of(v.password), bytes_of(v.salt), v.iterations, key);
    return to_hex(key);
}

// Also at compile time.
constexpr bool rfc6070_case_2_at_compile_time() {
    std::array<std::byte, 20> key{};
    twofactor::pbkdf2<twofactor::sha1>(bytes_of("password"), bytes_of("salt"), 2, key);
    return key[0] == std::byte{0xea} && key[1] == std::byte{0x6c} && key[19] == std::byte{0x57};
}
static_assert(rfc6070_case_2_at_compile_time());

// The longest key RFC 8018 allows is (2^32 - 1) blocks: 2^32 - 1 whole blocks pass, as do a
// partial last one; one byte past them does not.
static_assert(twofactor::detail::pbkdf2_length_allowed(0xffffffffULL * 20, 20));
static_assert(twofactor::detail::pbkdf2_length_allowed(0xfffffffeULL * 20 + 1, 20));
static_assert(!twofactor::detail::pbkdf2_length_allowed(0xffffffffULL * 20 + 1, 20));
static_assert(twofactor::detail::pbkdf2_length_allowed(0, 32));

}  // namespace

BOOST_DATA_TEST_CASE(rfc6070_pbkdf2_hmac_sha1, bdata::make(rfc6070), v) {
    BOOST_TEST(derive_hex<twofactor::sha1>(v) == v.expected_hex);
}

BOOST_DATA_TEST_CASE(rfc7914_pbkdf2_hmac_sha256, bdata::make(rfc7914), v) {
    BOOST_TEST(derive_hex<twofactor::sha256>(v) == v.expected_hex);
}

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL
template <class Hash>
void check_against_openssl(const EVP_MD* md, std::mt19937_64& random) {
    for (int round = 0; round < 200; ++round) {
        const auto password = twofactor_test::random_bytes(random, random() % 100);
        const auto salt = twofactor_test::random_bytes(random, random() % 40);
        const auto iterations = static_cast<std::uint32_t>(1 + random() % 50);
        const std::size_t length = 1 + random() % 150;  // not always a whole number of blocks
        std::vector<std::byte> ours(length);
        std::vector<unsigned char> theirs(length);
        twofactor::pbkdf2<Hash>(password, salt, iterations, ours);
        BOOST_TEST_REQUIRE(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                                             static_cast<int>(password.size()),
                                             reinterpret_cast<const unsigned char*>(salt.data()),
                                             static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                                             static_cast<int>(length), theirs.data()) == 1);
        BOOST_TEST(std::memcmp(ours.data(), theirs.data(), length) == 0);
    }
}

BOOST_AUTO_TEST_CASE(agrees_with_openssl_on_random_inputs) {
    std::mt19937_64 random(8018);
    check_against_openssl<twofactor::sha1>(EVP_sha1(), random);
    check_against_openssl<twofactor::sha256>(EVP_sha256(), random);
    check_against_openssl<twofactor::sha512>(EVP_sha512(), random);
}
#endif

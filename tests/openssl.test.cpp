// Tests for twofactor/openssl.hpp: the OpenSSL 3 EVP models of hash_function (FIPS 180-4 SHA-1,
// SHA-256, SHA-512) against the built-in models, HMAC (RFC 2104) over them, and their copy semantics.
#include <boost/test/unit_test.hpp>

#ifdef TWOFACTOR_TEST_HAVE_OPENSSL

#include <twofactor/hmac.hpp>
#include <twofactor/openssl.hpp>
#include <twofactor/secret.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/test_support.hpp"

using namespace twofactor;
using twofactor_test::random_bytes;
using twofactor_test::to_hex;

namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
    return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

// (OpenSSL model, built-in model) pairs.
template <class OpenSsl, class Builtin>
struct model_pair {
    using openssl_type = OpenSsl;
    using builtin_type = Builtin;
};
using model_pairs = std::tuple<model_pair<openssl::sha1, sha1>, model_pair<openssl::sha256, sha256>,
                               model_pair<openssl::sha512, sha512>>;

template <class H>
std::string hex_of(std::span<const std::byte> message) {
    return to_hex(hash<H>(message));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concept_conformance)

BOOST_AUTO_TEST_CASE(models_hash_function) {
    static_assert(hash_function<openssl::sha1>);
    static_assert(hash_function<openssl::sha256>);
    static_assert(hash_function<openssl::sha512>);
    // Only update/finalize: hmac drives them through copies of keyed hash objects.
    static_assert(!block_hash_function<openssl::sha1>);
    static_assert(!block_hash_function<openssl::sha256>);
    static_assert(!block_hash_function<openssl::sha512>);
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(constants_match_builtin_and_evp, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    static_assert(O::name == B::name && O::block_size == B::block_size && O::digest_size == B::digest_size);
    static_assert(std::is_same_v<typename O::digest_type, typename B::digest_type>);
    EVP_MD* md = EVP_MD_fetch(nullptr, std::string(O::name).c_str(), nullptr);
    BOOST_REQUIRE(md != nullptr);
    BOOST_TEST(static_cast<std::size_t>(EVP_MD_get_block_size(md)) == O::block_size);
    BOOST_TEST(static_cast<std::size_t>(EVP_MD_get_size(md)) == O::digest_size);
    EVP_MD_free(md);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(digests)

// FIPS 180-4 example messages (NIST CSRC examples; FIPS 180-2 Appendices A-C): both models agree, and
// the OpenSSL model reproduces the published SHA-1 values.
BOOST_AUTO_TEST_CASE_TEMPLATE(fips_180_4_messages, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    for (std::string_view message :
         {std::string_view("abc"), std::string_view(""),
          std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
          std::string_view(
              "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmn"
              "opqrsmnopqrstnopqrstu")}) {
        BOOST_TEST(hex_of<O>(bytes_of(message)) == hex_of<B>(bytes_of(message)),
                   "message \"" << message << '"');
    }
    const std::string million(1'000'000, 'a');
    BOOST_TEST(hex_of<O>(bytes_of(million)) == hex_of<B>(bytes_of(million)));
}

BOOST_AUTO_TEST_CASE(published_values) {
    BOOST_TEST(hex_of<openssl::sha1>(bytes_of("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    BOOST_TEST(hex_of<openssl::sha256>(bytes_of("abc")) ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(hex_of<openssl::sha512>(bytes_of("abc")) ==
               "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
               "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

// 10,000 random messages of 0..300 bytes, hashed in two random pieces by the OpenSSL model.
BOOST_AUTO_TEST_CASE_TEMPLATE(random_messages, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    std::mt19937_64 rng(1804);
    for (int i = 0; i < 10'000; ++i) {
        const auto message = random_bytes(rng, rng() % 301);
        const std::size_t split = rng() % (message.size() + 1);
        O h;
        h.update(std::span(message).first(split));
        h.update(std::span(message).subspan(split));
        BOOST_TEST(to_hex(h.finalize()) == hex_of<B>(message));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(copy_semantics)

// A copy made mid-stream continues independently; both finalize to the correct digests.
BOOST_AUTO_TEST_CASE_TEMPLATE(copy_mid_stream, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    O original;
    original.update(bytes_of("common prefix, "));
    O copy = original;
    original.update(bytes_of("then the original"));
    copy.update(bytes_of("then the copy"));
    BOOST_TEST(to_hex(original.finalize()) == hex_of<B>(bytes_of("common prefix, then the original")));
    BOOST_TEST(to_hex(copy.finalize()) == hex_of<B>(bytes_of("common prefix, then the copy")));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(assignment_and_reuse, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    O a;
    a.update(bytes_of("ab"));
    O b;
    b.update(bytes_of("unrelated"));
    b = a;  // copy assignment replaces b's state
    b.update(bytes_of("c"));
    BOOST_TEST(to_hex(b.finalize()) == hex_of<B>(bytes_of("abc")));
    const O& self = a;
    a = self;  // self-assignment keeps the state
    a.update(bytes_of("c"));
    BOOST_TEST(to_hex(a.finalize()) == hex_of<B>(bytes_of("abc")));
    a = O{};  // re-assignment after finalize(), as the concept requires before reuse
    a.update(bytes_of("abc"));
    BOOST_TEST(to_hex(a.finalize()) == hex_of<B>(bytes_of("abc")));
    O fresh;
    fresh.update(bytes_of("ab"));
    O moved_to = std::move(fresh);  // moves are copies
    moved_to.update(bytes_of("c"));
    BOOST_TEST(to_hex(moved_to.finalize()) == hex_of<B>(bytes_of("abc")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hmac_over_openssl)

// RFC 4231 §4.3 test case 2 and RFC 2202 §3 test case 2 through the update/finalize fallback of hmac.
BOOST_AUTO_TEST_CASE(rfc_vectors) {
    const auto key = bytes_of("Jefe");
    const auto data = bytes_of("what do ya want for nothing?");
    BOOST_TEST(to_hex(hmac<openssl::sha1>(key).compute(data)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    BOOST_TEST(to_hex(hmac<openssl::sha256>(key).compute(data)) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(to_hex(hmac_compute<openssl::sha512>(key, data)) ==
               "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
               "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

// hmac<openssl::H> equals hmac<H> for random keys (including longer than a block) and messages,
// through compute(), streaming and compute_lanes.
BOOST_AUTO_TEST_CASE_TEMPLATE(equals_builtin_hmac, Pair, model_pairs) {
    using O = typename Pair::openssl_type;
    using B = typename Pair::builtin_type;
    std::mt19937_64 rng(2104);
    for (int i = 0; i < 1'000; ++i) {
        const auto key = random_bytes(rng, rng() % 301);
        const auto message = random_bytes(rng, rng() % 301);
        hmac<O> mac(key);
        const hmac<B> reference(key);
        BOOST_TEST(to_hex(mac.compute(message)) == to_hex(reference.compute(message)));
        const std::size_t split = rng() % (message.size() + 1);
        mac.update(std::span(message).first(split));
        mac.update(std::span(message).subspan(split));
        BOOST_TEST(to_hex(mac.finalize()) == to_hex(reference.compute(message)));
        const hmac<O> copy = mac;
        BOOST_TEST(to_hex(copy.compute(message)) == to_hex(reference.compute(message)));
    }
    const hmac<O> mac(bytes_of("key"));
    std::array<std::array<std::byte, 8>, 3> counters{};
    for (std::size_t l = 0; l < counters.size(); ++l) {
        counters[l][7] = static_cast<std::byte>(l);
    }
    const auto macs = mac.compute_lanes(counters);
    for (std::size_t l = 0; l < counters.size(); ++l) {
        BOOST_TEST(to_hex(macs[l]) == to_hex(hmac<B>(bytes_of("key")).compute(counters[l])));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(rand_bytes_is_a_random_source) {
    // RAND_bytes as a random_source: secrets of the recommended size, not all zero, distinct.
    twofactor::openssl::random rng;
    const auto a = twofactor::secret::generate(twofactor::algorithm::sha256, rng);
    const auto b = twofactor::secret::generate(twofactor::algorithm::sha256, rng);
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST(a->size() == 32u);
    BOOST_TEST(!(*a == *b));
    const auto bytes = a->reveal_bytes();
    BOOST_TEST(std::any_of(bytes.begin(), bytes.end(), [](std::byte x) { return x != std::byte{0}; }));
}

#else  // no OpenSSL in this build

BOOST_AUTO_TEST_CASE(openssl_backend_not_built) {
    BOOST_TEST_MESSAGE("built without OpenSSL: twofactor/openssl.hpp is not tested");
    BOOST_TEST(true);
}

#endif

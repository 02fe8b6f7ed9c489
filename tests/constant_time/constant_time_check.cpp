// Constant-time check under valgrind memcheck (issue 7).
//
// Each case marks the secret bytes "undefined" (VALGRIND_MAKE_MEM_UNDEFINED) and runs the code
// that handles them. Memcheck then reports every conditional jump and every memory address that
// depends on a secret ("Conditional jump or move depends on uninitialised value(s)", "Use of
// uninitialised value of size 8"). twofactor marks the values that are public by design, the
// outcome of a check, through TWOFACTOR_DECLASSIFY (defined below as VALGRIND_MAKE_MEM_DEFINED);
// the cases do the same with their results before checking them.
//
// Usage: valgrind --error-exitcode=42 constant_time_check <case>   (ctest runs every case)
// The cases `control_*` are deliberately leaky: ctest expects memcheck to report them, which
// shows that the check can fail.
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#define TWOFACTOR_DECLASSIFY(address, size) VALGRIND_MAKE_MEM_DEFINED((address), (size))
#include <twofactor/twofactor.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace tf = twofactor;
using namespace std::chrono_literals;

namespace {

int failures = 0;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "constant_time_check: FAILED: %s\n", what);
        ++failures;
    }
}

// Marks bytes as secret: memcheck treats them as uninitialised from here on.
template <class T>
requires(!std::is_convertible_v<const T&, std::span<const std::byte>>)  // spans: the overload below
    void mark_secret(const T& object) {
    VALGRIND_MAKE_MEM_UNDEFINED(&object, sizeof object);
}
void mark_secret(std::span<const std::byte> bytes) {
    VALGRIND_MAKE_MEM_UNDEFINED(bytes.data(), bytes.size());
}

// Marks a result as public (what the caller is meant to learn), so the case may check it.
template <class T>
void declassify(const T& object) {
    VALGRIND_MAKE_MEM_DEFINED(&object, sizeof object);
}

// The RFC 6238 Appendix B seeds: "12345678901234567890" repeated to 20, 32 and 64 bytes.
template <std::size_t Size>
constexpr std::array<std::byte, Size> rfc6238_seed() {
    std::array<std::byte, Size> seed{};
    for (std::size_t i = 0; i < Size; ++i) seed[i] = static_cast<std::byte>('0' + (i + 1) % 10);
    return seed;
}

template <std::size_t Size>
bool digest_is(const tf::digest<Size>& digest, std::string_view hex) {
    declassify(digest);
    std::array<char, Size * 2> text{};
    for (std::size_t i = 0; i < Size; ++i) {
        const auto b = std::to_integer<unsigned>(digest.bytes[i]);
        text[2 * i] = "0123456789abcdef"[b >> 4];
        text[2 * i + 1] = "0123456789abcdef"[b & 15];
    }
    return std::string_view(text.data(), text.size()) == hex;
}

// HMAC over the built-in (portable, under valgrind) SHA code: RFC 4231 test case 2's message
// with RFC 6238's seeds as keys; also a key longer than a block, which is hashed first.
void hmac_sha() {
    auto key20 = rfc6238_seed<20>();
    auto key32 = rfc6238_seed<32>();
    auto key64 = rfc6238_seed<64>();
    std::array<std::byte, 100> long_key{};
    for (std::size_t i = 0; i < long_key.size(); ++i) long_key[i] = static_cast<std::byte>(i * 7 + 1);
    mark_secret(key20);
    mark_secret(key32);
    mark_secret(key64);
    mark_secret(long_key);
    const auto message = std::as_bytes(std::span<const char>("what do ya want for nothing?", 28));

    check(digest_is(tf::hmac<tf::sha1>(key20).compute(message), "788004ad03a82a233c486b03098a06edc1b2c5a8"),
          "HMAC-SHA-1 of the 20-byte key");
    check(digest_is(tf::hmac<tf::sha256>(key32).compute(message),
                    "2cec3f272cc757ed86055ef96c93da250f90a954587a5bc87c6df0ae26d4c601"),
          "HMAC-SHA-256 of the 32-byte key");
    const auto sha512_tag = tf::hmac<tf::sha512>(key64).compute(message);
    const auto long_tag = tf::hmac<tf::sha256>(long_key).compute(message);
    declassify(sha512_tag);
    declassify(long_tag);
    // The values are cross-checked against OpenSSL in tests/hmac.test.cpp; here only that they ran.
    // digest == is constant time; only its outcome is public.
    bool differs = sha512_tag != tf::hmac<tf::sha512>(key32).compute(message);
    declassify(differs);
    check(differs, "HMAC-SHA-512 depends on the key");
}

// TOTP and HOTP generation and verification: HMAC, dynamic truncation, the decimal code, the
// comparison with the typed code and the selection of the matching step.
void otp_verify() {
    auto seed = rfc6238_seed<20>();
    mark_secret(seed);
    const tf::totp<tf::sha1, 8, 30s> generator(seed);
    const std::chrono::sys_seconds t59{59s};

    auto code = generator.code_at(t59);
    declassify(code);
    check(code && *code == tf::otp_code<8>::parse("94287082").value(), "RFC 6238 SHA-1 code at t = 59");

    const auto right = generator.verify("94287082", t59, {1, 1});
    declassify(right);
    check(right && right->step == 1, "the right code verifies at step 1");
    const auto replayed = generator.verify("94287082", t59, {1, 1}, std::uint64_t{1});
    declassify(replayed);
    check(!replayed && replayed.error() == tf::errc::replayed_code, "the same code again is replayed");
    const auto wrong = generator.verify("94287083", t59, {1, 1});
    declassify(wrong);
    check(!wrong && wrong.error() == tf::errc::wrong_code, "a wrong code is refused");

    const tf::hotp<tf::sha1, 6> counter_generator(seed);
    const auto hotp_match = counter_generator.verify("520489", 0, 10);  // RFC 4226 counter 9
    declassify(hotp_match);
    check(hotp_match && *hotp_match == 9, "RFC 4226 counter 9 found with look-ahead 10");
    const auto resync = counter_generator.resynchronize("399871", "520489", 0, 20);  // counters 8, 9
    declassify(resync);
    check(resync && *resync == 9, "resynchronisation finds counters 8 and 9");
}

// otp_code ==: all digits compared, whatever they are.
void code_compare() {
    auto expected = tf::otp_code<6>::parse("287082").value();
    const auto typed_right = tf::otp_code<6>::parse("287082").value();
    const auto typed_wrong = tf::otp_code<6>::parse("187082").value();
    mark_secret(expected);
    bool same = expected == typed_right;
    bool different = expected == typed_wrong;
    declassify(same);
    declassify(different);
    check(same && !different, "otp_code == compares values");

    // The public comparison, for the application's own tokens.
    std::array<char, 32> token{};
    for (std::size_t i = 0; i < token.size(); ++i) token[i] = static_cast<char>('a' + i % 26);
    const std::array<char, 32> typed_token = token;
    mark_secret(token);
    bool tokens_equal = tf::constant_time_equal(std::string_view(token.data(), token.size()),
                                                std::string_view(typed_token.data(), typed_token.size()));
    declassify(tokens_equal);
    check(tokens_equal, "constant_time_equal compares values");
}

// A fixed source whose bytes are secret: generation must not branch on them or index with them
// (beyond the public fact that a byte was rejected) either.
struct secret_source {
    std::uint8_t next = 1;
    tf::result<void> fill(std::span<std::byte> out) noexcept {
        for (auto& b : out) b = static_cast<std::byte>(next = static_cast<std::uint8_t>(next * 29 + 7));
        mark_secret(std::span<const std::byte>(out));
        return {};
    }
};

}  // namespace

template <>
inline constexpr bool tf::enable_random_source<secret_source> = true;

namespace {

// Backup codes: the digests stored (and the salt) are secret; consume() hashes the typed code and
// compares it with all of them. Also backup_code == and backup_code_set ==.
void backup_codes() {
    secret_source source;
    auto fresh = tf::backup_code_set<10>::generate(source, tf::min_backup_code_iterations);
    check(fresh.has_value(), "generate");
    if (!fresh) return;
    auto& set = fresh->set;
    for (std::size_t i = 0; i < 10; ++i) mark_secret(set.digest(i));
    mark_secret(set.salt());

    const auto third = fresh->codes[2];
    const auto used = set.consume(third);
    declassify(used);
    check(used && used->index == 2 && used->remaining == 9, "the third code is accepted");
    const auto again = set.consume(third);
    declassify(again);
    check(!again && again.error() == tf::errc::backup_code_used, "the third code again is refused");
    // Typed text: its layout (where the separators are) is public, its symbols are not.
    auto typed = fresh->codes[7].reveal_grouped();
    for (char& c : typed) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    mark_secret(typed);
    const auto typed_used = set.consume(std::string_view(typed.data(), typed.size()));
    declassify(typed_used);
    check(typed_used && typed_used->index == 7, "the eighth code typed in lower case is accepted");
    const auto wrong = set.consume("2222-2222-2222");
    declassify(wrong);
    check(!wrong && wrong.error() == tf::errc::wrong_code, "a code of no set is refused");

    auto copy = fresh->codes[5];
    mark_secret(copy);
    bool same_code = copy == fresh->codes[5];
    bool other_code = copy == fresh->codes[6];
    declassify(same_code);
    declassify(other_code);
    check(same_code && !other_code, "backup_code == compares values");
    const auto set_copy = set;
    bool same_set = set_copy == set;
    declassify(same_set);
    check(same_set, "backup_code_set == compares values");
}

// Secrets: ==, and base32 of the bytes (setup code, URI, stored record) must not index a table
// or branch with them.
void secret_encoding() {
    const auto bytes = rfc6238_seed<20>();
    const auto key = tf::secret::from_bytes(bytes).value();
    const auto other = tf::secret::from_bytes(bytes).value();
    mark_secret(key.reveal_bytes());  // the bytes; their number is public
    bool same = key == other;
    declassify(same);
    check(same, "secret == compares values");

    std::array<std::byte, 10> raw{};
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::byte>("Hello!\xDE\xAD\xBE\xEF"[i]);
    mark_secret(raw);
    std::array<char, 16> text{};
    const auto written = tf::base32_encode(raw, text, tf::base32_padding::omit);
    declassify(text);
    check(written && std::string_view(text.data(), *written) == "JBSWY3DPEHPK3PXP", "base32 of a secret");

    std::array<char, 64> grouped{};
    const auto shown = key.reveal_setup_code(grouped);
    declassify(grouped);
    check(shown && std::string_view(grouped.data(), *shown) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
          "the setup code of the RFC seed");
}

// Decoding a secret's base32 text (a stored record's secret line is decoded at every login): which
// characters are data, separators or padding is public (the layout), their values are not.
void secret_decoding() {
    struct decoding {
        std::string_view text;
        tf::base32_mode mode;
        std::string_view bytes;
    };
    for (const decoding& d :
         {decoding{"JBSWY3DPEHPK3PXP", tf::base32_mode::strict, "Hello!\xDE\xAD\xBE\xEF"},
          decoding{"jbsw y3dp-ehpk\t3pxp", tf::base32_mode::lenient, "Hello!\xDE\xAD\xBE\xEF"},
          decoding{"MZXW6YQ=", tf::base32_mode::strict, "foob"},
          decoding{"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", tf::base32_mode::lenient, "12345678901234567890"}}) {
        std::array<char, 64> text{};
        std::memcpy(text.data(), d.text.data(), d.text.size());
        mark_secret(text);
        std::array<std::byte, 40> out{};
        const auto written = tf::base32_decode(std::string_view(text.data(), d.text.size()), out, d.mode);
        declassify(out);
        check(written && *written == d.bytes.size() &&
                  std::memcmp(out.data(), d.bytes.data(), d.bytes.size()) == 0,
              "base32 decoding of a secret");
    }
}

// The base64 of an otpauth-migration:// export carries its secrets: its characters' values are
// computed without a branch or a table (detail/base64.hpp), like base32's.
void export_decoding() {
    struct decoding {
        std::string_view text;
        std::string_view bytes;
    };
    for (const decoding& d : {decoding{"SGVsbG8h3q2+7w==", "Hello!\xDE\xAD\xBE\xEF"},
                              decoding{"MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", "12345678901234567890"},
                              decoding{"+/+/", "\xFB\xFF\xBF"}}) {
        std::array<char, 64> text{};
        std::memcpy(text.data(), d.text.data(), d.text.size());
        mark_secret(text);
        std::array<std::byte, 48> out{};
        const auto written = tf::detail::base64_decode(std::string_view(text.data(), d.text.size()), out);
        declassify(out);
        check(written && *written == d.bytes.size() &&
                  std::memcmp(out.data(), d.bytes.data(), d.bytes.size()) == 0,
              "base64 decoding of a secret");
    }
}

// Negative controls: what memcheck must flag.
[[gnu::noinline]] bool early_exit_equal(std::span<const std::byte> a, std::span<const std::byte> b) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

void control_early_exit() {
    auto expected = rfc6238_seed<20>();
    const auto typed = rfc6238_seed<20>();
    mark_secret(expected);
    bool same = early_exit_equal(expected, typed);
    declassify(same);
    check(same, "early_exit_equal");
}

[[gnu::noinline]] char table_lookup(std::byte secret_byte) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    return alphabet[std::to_integer<std::size_t>(secret_byte) & 31u];
}

void control_table_index() {
    std::byte secret_byte{13};
    mark_secret(secret_byte);
    char c = table_lookup(secret_byte);
    declassify(c);
    check(c == 'N', "table_lookup");
}

struct named_case {
    std::string_view name;
    void (*run)();
};
constexpr std::array cases{
    named_case{"hmac_sha", hmac_sha},
    named_case{"otp_verify", otp_verify},
    named_case{"code_compare", code_compare},
    named_case{"backup_codes", backup_codes},
    named_case{"secret_encoding", secret_encoding},
    named_case{"secret_decoding", secret_decoding},
    named_case{"export_decoding", export_decoding},
    named_case{"control_early_exit", control_early_exit},
    named_case{"control_table_index", control_table_index},
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: valgrind --error-exitcode=42 constant_time_check <case>\ncases:");
        for (const auto& c : cases)
            std::fprintf(stderr, " %.*s", static_cast<int>(c.name.size()), c.name.data());
        std::fprintf(stderr, "\n");
        return 2;
    }
    if (!RUNNING_ON_VALGRIND) {
        std::fprintf(stderr, "constant_time_check: run it under valgrind memcheck, else it checks nothing\n");
        return 2;
    }
    // Under valgrind the emulated CPU has no SHA extensions: the portable SHA code is what runs.
    if (tf::detail::cpu_has_sha_ni()) {
        std::fprintf(stderr,
                     "constant_time_check: SHA-NI path selected; the portable code would go unchecked\n");
        return 2;
    }
    for (const auto& c : cases) {
        if (c.name == argv[1]) {
            c.run();
            if (failures == 0) std::printf("constant_time_check %s: results correct\n", argv[1]);
            return failures == 0 ? 0 : 1;
        }
    }
    std::fprintf(stderr, "constant_time_check: no case '%s'\n", argv[1]);
    return 2;
}

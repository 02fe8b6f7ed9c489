// Tests of twofactor/otpauth_migration.hpp (Google Authenticator's otpauth-migration:// export)
// and the two decoders under it, detail/base64.hpp (RFC 4648 §10 vectors, every kind of bad
// text) and detail/protobuf.hpp (malformed varints, lengths, wire types). The exports here are
// assembled byte by byte by a small encoder of the test's own, so that every field, order and
// malformation can be chosen; otpauth_migration_interop.test.cpp checks real encoders (Python's
// protobuf package and protoc).
#include <boost/test/unit_test.hpp>

#include <twofactor/otpauth_migration.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace tf = twofactor;
using tf::errc;
using tf::migration_error;
using tf::otpauth_uri;
using namespace std::string_view_literals;

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, const migration_error& error) {
    out << "{" << describe(error.code) << ", position " << error.position;
    if (error.account != migration_error::no_account) out << ", account " << error.account;
    return out << "}";
}
inline std::ostream& boost_test_print_type(std::ostream& out, otp_type type) {
    return out << to_string(type);
}
inline std::ostream& boost_test_print_type(std::ostream& out, algorithm a) { return out << to_string(a); }
namespace detail {
inline std::ostream& boost_test_print_type(std::ostream& out, const base64_error& error) {
    return out << "{" << describe(error.code) << ", position " << error.position << "}";
}
}  // namespace detail
}  // namespace twofactor::inline v1

namespace {

// ---- The test's own encoder: protobuf wire format, base64, percent-encoding -----------------

using bytes = std::string;  // a protobuf message, byte by byte

bytes varint(std::uint64_t value) {
    bytes out;
    do {
        const auto low = static_cast<unsigned char>(value & 0x7F);
        value >>= 7;
        out += static_cast<char>(value != 0 ? low | 0x80 : low);
    } while (value != 0);
    return out;
}
bytes tag(std::uint32_t number, unsigned wire_type) { return varint(std::uint64_t{number} << 3 | wire_type); }
bytes varint_field(std::uint32_t number, std::uint64_t value) { return tag(number, 0) + varint(value); }
bytes bytes_field(std::uint32_t number, std::string_view value) {
    return tag(number, 2) + varint(value.size()) + std::string(value);
}

struct account_fields {
    std::string secret = "Hello!\xDE\xAD\xBE\xEF";  // JBSWY3DPEHPK3PXP
    std::string name = "ACME Co:alice@example.com";
    std::string issuer = "ACME Co";
    std::uint64_t algorithm = 1, digits = 1, type = 2, counter = 0;
};

bytes account(const account_fields& a) {
    return bytes_field(1, a.secret) + bytes_field(2, a.name) + bytes_field(3, a.issuer) +
           varint_field(4, a.algorithm) + varint_field(5, a.digits) + varint_field(6, a.type) +
           varint_field(7, a.counter);
}

bytes payload(const std::vector<bytes>& accounts, bool batch_fields = true) {
    bytes out;
    for (const bytes& a : accounts) out += bytes_field(1, a);
    if (batch_fields)
        out += varint_field(2, 1) + varint_field(3, 1) + varint_field(4, 0) + varint_field(5, 1234);
    return out;
}

std::string base64(std::string_view data) {
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t n = static_cast<unsigned char>(data[i]) << 16 |
                                static_cast<unsigned char>(data[i + 1]) << 8 |
                                static_cast<unsigned char>(data[i + 2]);
        for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
    }
    if (data.size() - i == 1) {
        const std::uint32_t n = static_cast<unsigned char>(data[i]) << 16;
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += "==";
    } else if (data.size() - i == 2) {
        const std::uint32_t n =
            static_cast<unsigned char>(data[i]) << 16 | static_cast<unsigned char>(data[i + 1]) << 8;
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

// As Google writes it: '+', '/' and '=' escaped.
std::string uri_of(const bytes& message) {
    std::string out = "otpauth-migration://offline?data=";
    for (const char c : base64(message)) {
        if (c == '+')
            out += "%2B";
        else if (c == '/')
            out += "%2F";
        else if (c == '=')
            out += "%3D";
        else
            out += c;
    }
    return out;
}

// ---- Running the parser ------------------------------------------------------------------------

struct import_outcome {
    tf::result<tf::migration_batch, migration_error> batch;
    std::vector<otpauth_uri> accounts;
};

import_outcome import(std::string_view text) {
    std::vector<otpauth_uri> accounts;
    auto batch = tf::parse_otpauth_migration(text, [&](const otpauth_uri& uri) { accounts.push_back(uri); });
    return {batch, accounts};
}

// The error of a text that must be refused; no account may have been handed over.
migration_error refused(std::string_view text) {
    const auto outcome = import(text);
    BOOST_TEST_REQUIRE(!outcome.batch.has_value());
    BOOST_TEST(outcome.accounts.empty());
    return outcome.batch.error();
}

// The only account of an export made of `fields`.
otpauth_uri only_account(const account_fields& fields) {
    const auto outcome = import(uri_of(payload({account(fields)})));
    BOOST_TEST_REQUIRE(outcome.batch.has_value());
    BOOST_TEST_REQUIRE(outcome.accounts.size() == 1U);
    return outcome.accounts.front();
}

// The error of an export whose only account is made of `fields`.
migration_error account_error(const account_fields& fields) {
    const std::string text = uri_of(payload({account(fields)}));
    return refused(text);
}

constexpr std::size_t data_position = "otpauth-migration://offline?data="sv.size();  // 33

std::string base32_of(const tf::secret& key) {
    std::string text(key.base32_size(), '\0');
    BOOST_TEST_REQUIRE(key.reveal_base32(text).has_value());
    return text;
}

// ---- detail::base64_decode -------------------------------------------------------------------

tf::result<std::string, tf::detail::base64_error> decode64(std::string_view text, std::size_t capacity = 64) {
    std::vector<std::byte> out(capacity);
    const auto n = tf::detail::base64_decode(text, out);
    if (!n) return tf::unexpected(n.error());
    std::string decoded;
    for (std::size_t i = 0; i < *n; ++i) decoded += static_cast<char>(out[i]);
    return decoded;
}

tf::detail::base64_error base64_refused(std::string_view text) {
    const auto decoded = decode64(text);
    BOOST_TEST_REQUIRE(!decoded.has_value());
    return decoded.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(base64_decoding)

BOOST_AUTO_TEST_CASE(rfc4648_section10_vectors_with_and_without_padding) {
    const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                     {"Zg==", "f"},
                                                                     {"Zm8=", "fo"},
                                                                     {"Zm9v", "foo"},
                                                                     {"Zm9vYg==", "foob"},
                                                                     {"Zm9vYmE=", "fooba"},
                                                                     {"Zm9vYmFy", "foobar"}};
    for (const auto& [text, data] : vectors) {
        BOOST_TEST(decode64(text).value() == data, text);
        std::string_view unpadded = text;
        while (unpadded.ends_with('=')) unpadded.remove_suffix(1);
        BOOST_TEST(decode64(unpadded).value() == data, unpadded);
    }
    // Every byte value, through the whole alphabet (the test's encoder is independent).
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    BOOST_TEST(decode64(base64(all), 256).value() == all);
    BOOST_TEST(base64(all).find_first_of("+/") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_text_is_refused_at_the_culprit) {
    using tf::detail::base64_error;
    BOOST_TEST(base64_refused("Zm9v*mFy") == (base64_error{errc::invalid_base64, 4}));
    BOOST_TEST(base64_refused("Zm9v Zm9v") == (base64_error{errc::invalid_base64, 4}));  // no whitespace
    BOOST_TEST(base64_refused("Zm9v-_") == (base64_error{errc::invalid_base64, 4}));  // no URL-safe alphabet
    BOOST_TEST(base64_refused("Zg=") == (base64_error{errc::invalid_base64, 3}));     // padding cut short
    BOOST_TEST(base64_refused("Zg===") == (base64_error{errc::invalid_base64, 4}));   // one '=' too many
    BOOST_TEST(base64_refused("Zm8==") == (base64_error{errc::invalid_base64, 4}));
    BOOST_TEST(base64_refused("Zm9v=") == (base64_error{errc::invalid_base64, 4}));     // nothing to pad
    BOOST_TEST(base64_refused("Zg==Zg==") == (base64_error{errc::invalid_base64, 4}));  // '=' inside
    BOOST_TEST(base64_refused("Z===") == (base64_error{errc::invalid_base64, 1}));
    BOOST_TEST(base64_refused("Zm9vY") == (base64_error{errc::invalid_base64, 5}));  // 4n + 1 characters
    // Non-zero unused bits: "Zh" would also decode to "f" if they were ignored.
    BOOST_TEST(base64_refused("Zh==") == (base64_error{errc::invalid_base64, 1}));
    BOOST_TEST(base64_refused("Zm9=") == (base64_error{errc::invalid_base64, 2}));
    std::vector<std::byte> small(2);
    const auto n = tf::detail::base64_decode("Zm9v", small);
    BOOST_TEST_REQUIRE(!n.has_value());
    BOOST_TEST(n.error() == (base64_error{errc::output_too_small, 3}));
}

BOOST_AUTO_TEST_CASE(character_values_match_the_alphabet) {
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        const std::size_t index = alphabet.find(ch);
        const auto kind = tf::detail::base64_kind(ch);
        if (index != std::string_view::npos) {
            BOOST_TEST((kind == tf::detail::base64_char::data), c);
            BOOST_TEST(tf::detail::base64_data_value(ch) == index, c);
        } else {
            BOOST_TEST(
                (kind == (ch == '=' ? tf::detail::base64_char::padding : tf::detail::base64_char::invalid)),
                c);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(protobuf_reading)

std::vector<tf::detail::protobuf_field> read_all(std::string_view message, bool& malformed) {
    static std::vector<std::byte> storage;  // the fields' spans point into it
    storage.assign(message.size(), std::byte{});
    for (std::size_t i = 0; i < message.size(); ++i) storage[i] = static_cast<std::byte>(message[i]);
    tf::detail::protobuf_reader reader(storage);
    std::vector<tf::detail::protobuf_field> fields;
    tf::detail::protobuf_field field;
    while (reader.next(field)) fields.push_back(field);
    malformed = reader.malformed();
    BOOST_TEST(!reader.next(field));  // stays stopped
    return fields;
}

bool is_malformed(std::string_view message) {
    bool malformed = false;
    (void)read_all(message, malformed);
    return malformed;
}

BOOST_AUTO_TEST_CASE(every_wire_type_is_read) {
    const std::string message = varint_field(1, 150) + tag(2, 1) + "\x01\x02\x03\x04\x05\x06\x07\x08" +
                                bytes_field(3, "testing") + tag(4, 5) + "\x78\x56\x34\x12" +
                                varint_field(536870911, 0xFFFFFFFFFFFFFFFF);
    bool malformed = true;
    const auto fields = read_all(message, malformed);
    BOOST_TEST(!malformed);
    BOOST_TEST_REQUIRE(fields.size() == 5U);
    BOOST_TEST(fields[0].number == 1U);
    BOOST_TEST(fields[0].value == 150U);
    BOOST_TEST((fields[1].type == tf::detail::protobuf_wire_type::fixed64));
    BOOST_TEST(fields[1].value == 0x0807060504030201U);
    BOOST_TEST((fields[2].type == tf::detail::protobuf_wire_type::length_delimited));
    BOOST_TEST(fields[2].bytes.size() == 7U);
    BOOST_TEST(static_cast<char>(fields[2].bytes[0]) == 't');
    BOOST_TEST(fields[3].value == 0x12345678U);
    BOOST_TEST(fields[4].number == tf::detail::protobuf_reader::max_field_number);
    BOOST_TEST(fields[4].value == std::numeric_limits<std::uint64_t>::max());
    BOOST_TEST(!is_malformed(""));
    // Fixed-size fields that end exactly at the end of the message.
    BOOST_TEST(!is_malformed(tag(4, 5) + "1234"));
    BOOST_TEST(!is_malformed(tag(4, 1) + "12345678"));
}

BOOST_AUTO_TEST_CASE(malformed_messages_stop_the_reader) {
    BOOST_TEST(is_malformed("\x08"));                                              // a varint missing
    BOOST_TEST(is_malformed("\x08\x80"));                                          // a varint cut short
    BOOST_TEST(is_malformed("\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x02"));      // above 2^64 - 1
    BOOST_TEST(is_malformed("\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x81\x00"));  // continues past ten bytes
    BOOST_TEST(!is_malformed("\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01"));     // 2^64 - 1 fits
    BOOST_TEST(
        is_malformed("\x12\x05"
                     "abcd"));  // length past the end
    BOOST_TEST(is_malformed("\x12\xFF\xFF\xFF\xFF\x0F"));
    BOOST_TEST(is_malformed(std::string("\x00\x00", 2)));  // field number 0
    BOOST_TEST(is_malformed(tag(5, 3)));                   // groups
    BOOST_TEST(is_malformed(tag(5, 4)));
    BOOST_TEST(is_malformed(tag(5, 6)));  // undefined wire types
    BOOST_TEST(is_malformed(tag(5, 7)));
    BOOST_TEST(is_malformed(tag(5, 1) + "1234567"));  // fixed64 cut short
    BOOST_TEST(is_malformed(tag(5, 5) + "123"));
    BOOST_TEST(is_malformed(varint((std::uint64_t{1} << 32) | 0)));  // a tag above 32 bits
    // Good fields before the bad one are still read.
    bool malformed = false;
    const auto fields = read_all(varint_field(1, 7) + "\x12\x05" + "ab", malformed);
    BOOST_TEST(malformed);
    BOOST_TEST(fields.size() == 1U);
    // A fixed-size field cut short yields nothing (its bytes are never read past the end).
    for (const unsigned wire_type : {1U, 5U}) {
        malformed = false;
        const auto cut = read_all(varint_field(1, 7) + tag(2, wire_type) + "12", malformed);
        BOOST_TEST(malformed);
        BOOST_TEST(cut.size() == 1U);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(migration_import)

BOOST_AUTO_TEST_CASE(accounts_are_handed_over_in_order) {
    account_fields hotp;
    hotp.secret = "12345678901234567890";
    hotp.name = "bob";
    hotp.issuer = "";
    hotp.algorithm = 3;
    hotp.digits = 2;
    hotp.type = 1;
    hotp.counter = 42;
    const auto outcome = import(uri_of(payload({account({}), account(hotp)})));
    BOOST_TEST_REQUIRE(outcome.batch.has_value());
    BOOST_TEST((*outcome.batch == tf::migration_batch{1, 1, 0, 1234, 2}));
    BOOST_TEST_REQUIRE(outcome.accounts.size() == 2U);

    const otpauth_uri& first = outcome.accounts[0];
    BOOST_TEST(first.issuer() == "ACME Co");
    BOOST_TEST(first.account() == "alice@example.com");
    BOOST_TEST(base32_of(first.key()) == "JBSWY3DPEHPK3PXP");
    BOOST_TEST(first.type() == tf::otp_type::totp);
    BOOST_TEST(first.hash() == tf::algorithm::sha1);
    BOOST_TEST(first.digits() == 6U);
    BOOST_TEST(first.period() == 30U);
    BOOST_TEST(!first.issuer_mismatch());
    BOOST_TEST(first.reveal_uri_string() ==
               "otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co"
               "&algorithm=SHA1&digits=6&period=30");

    const otpauth_uri& second = outcome.accounts[1];
    BOOST_TEST(second.issuer() == "");
    BOOST_TEST(second.account() == "bob");
    BOOST_TEST(base32_of(second.key()) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    BOOST_TEST(second.type() == tf::otp_type::hotp);
    BOOST_TEST(second.hash() == tf::algorithm::sha512);
    BOOST_TEST(second.digits() == 8U);
    BOOST_TEST(second.counter() == 42U);
    // Each parses back from its own URI.
    for (const otpauth_uri& uri : outcome.accounts)
        BOOST_TEST((otpauth_uri::parse(uri.reveal_uri_string()).value() == uri));
}

BOOST_AUTO_TEST_CASE(parameters_map_from_the_enumerations) {
    account_fields a;
    for (const auto& [value, expected] :
         {std::pair{0U, tf::algorithm::sha1}, std::pair{1U, tf::algorithm::sha1},
          std::pair{2U, tf::algorithm::sha256}, std::pair{3U, tf::algorithm::sha512}}) {
        a.algorithm = value;
        BOOST_TEST(only_account(a).hash() == expected);
    }
    a.algorithm = 1;
    for (const auto& [value, expected] : {std::pair{0U, 6U}, std::pair{1U, 6U}, std::pair{2U, 8U}}) {
        a.digits = value;
        BOOST_TEST(only_account(a).digits() == expected);
    }
    a.digits = 1;
    for (const auto& [value, expected] :
         {std::pair{0U, tf::otp_type::totp}, std::pair{1U, tf::otp_type::hotp},
          std::pair{2U, tf::otp_type::totp}}) {
        a.type = value;
        BOOST_TEST(only_account(a).type() == expected);
    }
    // Refused values, named, with the account's index.
    a.type = 2;
    const auto with = [](account_fields fields, auto change) {
        change(fields);
        return fields;
    };
    BOOST_TEST(account_error(with(a, [](auto& f) { f.algorithm = 4; })) ==
               (migration_error{errc::unsupported_algorithm, data_position, 0}));
    BOOST_TEST(account_error(with(a, [](auto& f) { f.algorithm = 5; })).code == errc::unsupported_algorithm);
    BOOST_TEST(account_error(with(a, [](auto& f) { f.digits = 3; })).code == errc::invalid_digits);
    BOOST_TEST(account_error(with(a, [](auto& f) { f.type = 3; })).code == errc::unsupported_otp_type);
    // A negative enumeration value (ten bytes on the wire).
    BOOST_TEST(account_error(with(a, [](auto& f) {
                   f.type = std::numeric_limits<std::uint64_t>::max();
               })).code == errc::unsupported_otp_type);
}

BOOST_AUTO_TEST_CASE(hotp_counter_is_an_int64_and_totp_ignores_it) {
    account_fields a;
    a.type = 1;
    a.counter = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    BOOST_TEST(only_account(a).counter() == a.counter);
    a.counter = 0;
    BOOST_TEST(only_account(a).counter() == 0U);
    a.counter = static_cast<std::uint64_t>(std::int64_t{-1});
    BOOST_TEST(account_error(a) == (migration_error{errc::invalid_counter, data_position, 0}));
    a.type = 2;  // TOTP: the counter has no meaning and is not checked
    BOOST_TEST(only_account(a).counter() == 0U);
}

BOOST_AUTO_TEST_CASE(absent_fields_take_the_defaults) {
    // Only a secret and a name: SHA1, 6 digits, TOTP, 30 s, no issuer.
    const bytes minimal = bytes_field(1, "\x00\x01\x02"sv) + bytes_field(2, "carol");
    const auto outcome = import(uri_of(payload({minimal}, false)));
    BOOST_TEST_REQUIRE(outcome.batch.has_value());
    BOOST_TEST((*outcome.batch == tf::migration_batch{0, 0, 0, 0, 1}));
    BOOST_TEST_REQUIRE(outcome.accounts.size() == 1U);
    const otpauth_uri& uri = outcome.accounts[0];
    BOOST_TEST(uri.reveal_uri_string() ==
               "otpauth://totp/carol?secret=AAAQE&algorithm=SHA1&digits=6&period=30");
    BOOST_TEST(uri.key().size() == 3U);  // the leading zero byte is kept (libcotp#54)
}

BOOST_AUTO_TEST_CASE(names_split_like_a_key_uri_label) {
    account_fields a;
    const auto names = [&](std::string name, std::string issuer) {
        a.name = std::move(name);
        a.issuer = std::move(issuer);
        const otpauth_uri uri = only_account(a);
        return std::tuple{std::string(uri.issuer()), std::string(uri.account()), uri.issuer_mismatch()};
    };
    BOOST_TEST((names("ACME Co:alice", "ACME Co") == std::tuple{"ACME Co", "alice", false}));
    BOOST_TEST((names("ACME Co: alice", "ACME Co") == std::tuple{"ACME Co", "alice", false}));
    BOOST_TEST((names("ACME Co:alice", "") == std::tuple{"ACME Co", "alice", false}));
    BOOST_TEST((names("alice", "ACME Co") == std::tuple{"ACME Co", "alice", false}));
    BOOST_TEST((names("alice", "") == std::tuple{"", "alice", false}));
    BOOST_TEST((names("  alice", "") == std::tuple{"", "alice", false}));
    // The issuer field wins over a different prefix (Microsoft-style labels, pyotp#120).
    BOOST_TEST((names("Contoso:alice", "Microsoft") == std::tuple{"Microsoft", "alice", true}));
    // An issuer with a colon: split where the issuer field ends.
    BOOST_TEST((names("A:B:alice", "A:B") == std::tuple{"A:B", "alice", false}));
    BOOST_TEST((names("Caf\xC3\xA9:j\xC3\xBCrgen", "") == std::tuple{"Caf\xC3\xA9", "j\xC3\xBCrgen", false}));

    const auto name_error = [&](std::string name, std::string issuer) {
        a.name = std::move(name);
        a.issuer = std::move(issuer);
        return account_error(a).code;
    };
    BOOST_TEST(name_error("", "") == errc::missing_account_name);
    BOOST_TEST(name_error("ACME:", "ACME") == errc::missing_account_name);
    BOOST_TEST(name_error("ACME:   ", "") == errc::missing_account_name);
    BOOST_TEST(name_error("x:y:z", "") == errc::invalid_label);  // an account with a ':'
    BOOST_TEST(name_error("ali\nce", "") == errc::invalid_label);
    BOOST_TEST(name_error("alice", "AC\x7F") == errc::invalid_label);
    BOOST_TEST(name_error("ali\xC3", "") == errc::invalid_utf8);
    BOOST_TEST(name_error("alice", "\xFF") == errc::invalid_utf8);
    BOOST_TEST(name_error(std::string(tf::max_label_part_size + 1, 'a'), "") == errc::label_too_long);
    BOOST_TEST(name_error("alice", std::string(tf::max_label_part_size + 1, 'a')) == errc::label_too_long);
    BOOST_TEST(name_error(std::string(2 * tf::max_label_part_size + 2, 'a'), "") == errc::label_too_long);
    // The longest names fit.
    const std::string longest(tf::max_label_part_size, 'n');
    BOOST_TEST((names(longest + ":" + longest, "") == std::tuple{longest, longest, false}));
}

BOOST_AUTO_TEST_CASE(secrets_of_1_to_64_bytes) {
    account_fields a;
    a.secret = std::string(1, '\0');
    BOOST_TEST(only_account(a).key().size() == 1U);
    a.secret = std::string(64, '\xFF');
    BOOST_TEST(only_account(a).key().size() == 64U);
    a.secret = "";
    BOOST_TEST(account_error(a) == (migration_error{errc::empty_secret, data_position, 0}));
    a.secret = std::string(65, 'k');
    BOOST_TEST(account_error(a).code == errc::secret_too_long);
}

BOOST_AUTO_TEST_CASE(a_bad_account_stops_the_whole_import) {
    account_fields md5;
    md5.algorithm = 4;
    const auto error = refused(uri_of(payload({account({}), account({}), account(md5), account({})})));
    BOOST_TEST(error == (migration_error{errc::unsupported_algorithm, data_position, 2}));
}

BOOST_AUTO_TEST_CASE(protobuf_rules_unknown_fields_order_and_repeats) {
    // Unknown fields of every wire type, at both levels, are skipped; field order does not
    // matter; a repeated scalar counts once, the last.
    const bytes first = tag(9, 5) + "abcd" + varint_field(7, 5) + varint_field(6, 1) +
                        bytes_field(8, "unique-id") + bytes_field(2, "first") + bytes_field(1, "12345") +
                        tag(10, 1) + "12345678" + varint_field(5, 1) + varint_field(5, 2) +
                        bytes_field(2, "second");
    const bytes message =
        varint_field(2, 1) + bytes_field(1, first) + bytes_field(6, "later") + varint_field(5, 7);
    const auto outcome = import(uri_of(message));
    BOOST_TEST_REQUIRE(outcome.batch.has_value());
    BOOST_TEST(outcome.batch->batch_id == 7);
    BOOST_TEST_REQUIRE(outcome.accounts.size() == 1U);
    BOOST_TEST(outcome.accounts[0].account() == "second");
    BOOST_TEST(outcome.accounts[0].digits() == 8U);
    BOOST_TEST(outcome.accounts[0].type() == tf::otp_type::hotp);
    BOOST_TEST(outcome.accounts[0].counter() == 5U);

    // int32 batch fields: the low 32 bits, two's complement (a negative id is ten bytes).
    const auto negative = import(uri_of(varint_field(5, static_cast<std::uint64_t>(std::int64_t{-12345}))));
    BOOST_TEST_REQUIRE(negative.batch.has_value());
    BOOST_TEST(negative.batch->batch_id == -12345);
    BOOST_TEST(negative.batch->accounts == 0U);  // an export without accounts is not an error
}

BOOST_AUTO_TEST_CASE(malformed_data_is_refused) {
    const auto error_of = [](const bytes& message) { return refused(uri_of(message)); };
    const migration_error at_data{errc::invalid_migration_data, data_position};
    BOOST_TEST(error_of(varint_field(1, 5)) == at_data);                           // accounts are messages
    BOOST_TEST(error_of(bytes_field(2, "1")) == at_data);                          // version is a varint
    BOOST_TEST(error_of(payload({account({})}) + "\x0A\x05" + "abc") == at_data);  // truncated
    BOOST_TEST(error_of(tag(3, 3)) == at_data);                                    // a group
    BOOST_TEST(error_of(bytes_field(1, varint_field(1, 5))) ==
               (migration_error{errc::invalid_migration_data, data_position, 0}));
    BOOST_TEST(error_of(bytes_field(1, bytes_field(4, "1"))).account == 0U);
    BOOST_TEST(error_of(bytes_field(1,
                                    "\x0A\x09"
                                    "abc"))
                   .account == 0U);  // truncated inside the account
    // Each known field of an account in another wire type than its own (also as the repeat of
    // a good one, which would otherwise count).
    for (std::uint32_t number = 1; number <= 7; ++number) {
        BOOST_TEST_CONTEXT("field " << number) {
            const bytes other_type = number <= 3 ? varint_field(number, 1) : bytes_field(number, "1");
            for (const bytes& wrong : {other_type, tag(number, 5) + "1234", tag(number, 1) + "12345678"}) {
                BOOST_TEST(error_of(payload({account({}) + wrong})) ==
                           (migration_error{errc::invalid_migration_data, data_position, 0}));
            }
        }
    }
    // Random bytes are (almost always) not a valid export; never a crash.
    std::string noise;
    std::uint32_t state = 12345;
    for (int i = 0; i < 400; ++i) {
        state = state * 1664525u + 1013904223u;
        noise += static_cast<char>(state >> 24);
        (void)import(uri_of(noise));
    }
}

BOOST_AUTO_TEST_CASE(uri_errors_name_the_problem_and_its_position) {
    const std::string good = uri_of(payload({account({})}));
    const std::string data = good.substr(data_position);
    BOOST_TEST(refused("otpauth://offline?data=" + data) == (migration_error{errc::invalid_uri_scheme, 0}));
    BOOST_TEST(refused("otpauth-migration:offline?data=" + data) ==
               (migration_error{errc::invalid_uri_scheme, 0}));
    BOOST_TEST(refused("") == (migration_error{errc::invalid_uri_scheme, 0}));
    BOOST_TEST(refused("otpauth-migration://online?data=" + data) ==
               (migration_error{errc::invalid_uri_syntax, 20}));
    BOOST_TEST(refused("otpauth-migration://offline/x?data=" + data) ==
               (migration_error{errc::invalid_uri_syntax, 27}));
    BOOST_TEST(refused(good + "#x") == (migration_error{errc::invalid_uri_syntax, good.size()}));
    BOOST_TEST(refused("otpauth-migration://offline?x=%G1&data=" + data) ==
               (migration_error{errc::invalid_percent_encoding, 30}));
    BOOST_TEST(refused(good + "&data=" + data) ==
               (migration_error{errc::duplicate_parameter, good.size() + 1}));
    BOOST_TEST(refused("otpauth-migration://offline") == (migration_error{errc::invalid_migration_data, 27}));
    BOOST_TEST(refused("otpauth-migration://offline?dat=" + data).code == errc::invalid_migration_data);
    // An empty data is an empty message: an export without accounts.
    BOOST_TEST(import("otpauth-migration://offline?data").batch.value().accounts == 0U);
    BOOST_TEST(import("otpauth-migration://offline?data=").batch.value().accounts == 0U);
    // A bad base64 character, positioned in the URI through the escapes before it.
    BOOST_TEST(refused("otpauth-migration://offline?data=AB%2FC*AAA") ==
               (migration_error{errc::invalid_base64, 39}));
    BOOST_TEST(refused("otpauth-migration://offline?data=AB%2FC%3D") ==
               (migration_error{errc::invalid_base64, 39}));
    // Too long, as text or as data.
    const std::string too_long(tf::detail::max_migration_text_size + 4, 'A');
    BOOST_TEST(refused("otpauth-migration://offline?data=" + too_long).code == errc::migration_data_too_long);
    const std::string just_over = base64(std::string(tf::max_migration_data_size + 1, '\0'));
    BOOST_TEST(just_over.size() <= tf::detail::max_migration_text_size);
    BOOST_TEST(refused("otpauth-migration://offline?data=" + just_over).code ==
               errc::migration_data_too_long);
}

BOOST_AUTO_TEST_CASE(lenient_where_real_uris_vary) {
    const std::string good = uri_of(payload({account({})}));
    const std::string data = good.substr(data_position);
    // Case of scheme and host; other parameters; '/' and '=' left unescaped.
    BOOST_TEST(import("OTPAUTH-MIGRATION://OFFLINE?data=" + data).accounts.size() == 1U);
    BOOST_TEST(import("otpauth-migration://offline?x=1&data=" + data + "&y").accounts.size() == 1U);
    std::string raw = "otpauth-migration://offline?data=" + base64(payload({account({})}));
    BOOST_TEST(import(raw).accounts.size() == 1U);
    // The largest export fits: max_migration_data_size bytes of data.
    bytes big = payload({account({})}, false);
    big += bytes_field(15, std::string(tf::max_migration_data_size - big.size() - 3, 'x'));
    BOOST_TEST_REQUIRE(big.size() == tf::max_migration_data_size);
    BOOST_TEST(import(uri_of(big)).accounts.size() == 1U);
}

BOOST_AUTO_TEST_CASE(usable_in_constant_evaluation) {
    // "otpauth-migration://offline?data=" + base64 of {secret "abc", name "x"}.
    static_assert([] {
        std::size_t digits = 0;
        const auto batch =
            tf::parse_otpauth_migration("otpauth-migration://offline?data=CggKA2FiYxIBeA%3D%3D",
                                        [&](const otpauth_uri& uri) { digits = uri.digits(); });
        return batch.has_value() && batch->accounts == 1 && digits == 6;
    }());
    BOOST_TEST(base64(bytes_field(1, bytes_field(1, "abc") + bytes_field(2, "x"))) == "CggKA2FiYxIBeA==");
}

BOOST_AUTO_TEST_SUITE_END()

// Interoperability of parse_otpauth_migration (twofactor/otpauth_migration.hpp) with two
// independent protobuf encoders of Google Authenticator's export:
//   - Python's protobuf package (Debian package python3-protobuf, run by /usr/bin/python3), one
//     process: 300 random exports (random secrets of 1..64 bytes, names with and without an
//     issuer prefix, non-ASCII UTF-8, every accepted algorithm, digit count and type, counters
//     up to 2^63 - 1, random batch fields, several ways of percent-encoding the base64) and the
//     fields Python says they hold; exports to refuse, with the error code and account index;
//     and the size limit exactly;
//   - protoc's text-format encoder (Debian package protobuf-compiler) with our own schema text:
//     fields the reader does not know (of every wire type), fields out of order, a field given
//     twice (the last one counts, which protoc --decode confirms).
// The base64 of protoc's output is written by base64(1) (coreutils). A missing tool fails the
// test, naming the package.
#include <boost/test/unit_test.hpp>

#include <twofactor/otpauth_migration.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"
#include "support/test_support.hpp"

namespace tf = twofactor;
using tf::errc;
using tf::migration_batch;
using tf::migration_error;

namespace twofactor::inline v1 {
inline std::ostream& boost_test_print_type(std::ostream& out, const migration_batch& b) {
    return out << "{version " << b.version << ", batch_size " << b.batch_size << ", batch_index "
               << b.batch_index << ", batch_id " << b.batch_id << ", accounts " << b.accounts << "}";
}
inline std::string text_of(const migration_error& e) {
    std::ostringstream out;
    out << "{" << describe(e.code) << ", position " << e.position << ", account ";
    if (e.account == migration_error::no_account)
        out << "none}";
    else
        out << e.account << "}";
    return out.str();
}
inline std::ostream& boost_test_print_type(std::ostream& out, const migration_error& e) {
    return out << text_of(e);
}
}  // namespace twofactor::inline v1

namespace {

using twofactor_test::python;

constexpr std::uint64_t seed = 0x20240611'4d49'4752ull;  // fixed: failures are reproducible
constexpr std::size_t export_count = 300;

using twofactor_test::run_shell;

// ---- Accounts as both sides see them ------------------------------------------------------

// One account, in the terms of the Python script's "acct" lines.
struct account_fields {
    std::string issuer;
    std::string account;
    std::string secret_hex;
    std::string algorithm;  // SHA1, SHA256, SHA512
    unsigned digits = 0;
    std::string type;  // totp, hotp
    std::uint64_t counter = 0;
    std::uint32_t period = 30;
    bool issuer_mismatch = false;
    friend bool operator==(const account_fields&, const account_fields&) = default;
};

std::ostream& operator<<(std::ostream& out, const account_fields& a) {
    return out << "{issuer \"" << a.issuer << "\", account \"" << a.account << "\", secret " << a.secret_hex
               << ", " << a.algorithm << ", digits " << a.digits << ", " << a.type << ", counter "
               << a.counter << ", period " << a.period << ", mismatch " << a.issuer_mismatch << "}";
}

account_fields fields_of(const tf::otpauth_uri& uri) {
    account_fields a;
    a.issuer = std::string(uri.issuer());
    a.account = std::string(uri.account());
    a.secret_hex = twofactor_test::to_hex(uri.key().reveal_bytes());
    a.algorithm = std::string(to_string(uri.hash()));
    a.digits = uri.digits();
    a.type = std::string(to_string(uri.type()));
    a.counter = uri.counter();
    a.period = uri.period();
    a.issuer_mismatch = uri.issuer_mismatch();
    return a;
}

// What parse_otpauth_migration gives for a text: the batch or the error, and every account
// handed to the callback.
struct parsed_export {
    tf::result<migration_batch, migration_error> batch;
    std::vector<account_fields> accounts;
};

parsed_export parse(std::string_view text) {
    std::vector<account_fields> accounts;
    auto batch = tf::parse_otpauth_migration(
        text, [&](const tf::otpauth_uri& uri) { accounts.push_back(fields_of(uri)); });
    return {std::move(batch), std::move(accounts)};
}

// ---- Text helpers ---------------------------------------------------------------------------

// "-" is the empty text; otherwise lowercase hex.
std::string from_hex(std::string_view hex) {
    std::string text;
    if (hex == "-") return text;
    BOOST_REQUIRE_MESSAGE(hex.size() % 2 == 0, "odd hex text " << hex);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
        BOOST_REQUIRE_MESSAGE(ec == std::errc{} && end == hex.data() + i + 2, "bad hex text " << hex);
        text += static_cast<char>(value);
    }
    return text;
}

template <class Integer>
Integer number_of(std::string_view text) {
    Integer value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    BOOST_REQUIRE_MESSAGE(ec == std::errc{} && end == text.data() + text.size(), "bad number " << text);
    return value;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// The error codes the script names.
errc errc_named(std::string_view name) {
    static constexpr std::pair<std::string_view, errc> names[] = {
        {"unsupported_algorithm", errc::unsupported_algorithm},
        {"invalid_digits", errc::invalid_digits},
        {"unsupported_otp_type", errc::unsupported_otp_type},
        {"invalid_counter", errc::invalid_counter},
        {"empty_secret", errc::empty_secret},
        {"secret_too_long", errc::secret_too_long},
        {"missing_account_name", errc::missing_account_name},
        {"invalid_label", errc::invalid_label},
        {"label_too_long", errc::label_too_long},
        {"invalid_utf8", errc::invalid_utf8},
        {"invalid_migration_data", errc::invalid_migration_data},
        {"migration_data_too_long", errc::migration_data_too_long},
    };
    for (const auto& [text, code] : names) {
        if (text == name) return code;
    }
    BOOST_FAIL("unknown error name " << name);
    return errc{};
}

// As Google writes the base64 in the URI: '+', '/' and '=' percent-encoded.
std::string migration_uri(std::string_view base64) {
    std::string uri = "otpauth-migration://offline?data=";
    for (const char c : base64) {
        if (c == '+')
            uri += "%2B";
        else if (c == '/')
            uri += "%2F";
        else if (c == '=')
            uri += "%3D";
        else
            uri += c;
    }
    return uri;
}

// ---- Tools ------------------------------------------------------------------------------------

void require_protoc() {
    const auto probe = run_shell("protoc --version 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(probe.status == 0 && probe.out.find("libprotoc") != std::string::npos,
                          "protoc is not installed or does not run: install the Debian/Ubuntu package "
                          "'protobuf-compiler' (apt-get install protobuf-compiler)");
    const auto base64 = run_shell("printf 'ab' | base64 -w0 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(base64.status == 0 && base64.out == "YWI=",
                          "base64 (-w0) does not run: install the Debian/Ubuntu package 'coreutils'");
}

// ---- Python's protobuf ----------------------------------------------------------------------

// Writes the exports (argv: seed, count) with Python's protobuf package. Output lines:
//   uri <text>                  an export to accept, then
//   batch <version> <size> <index> <id> <accounts>
//   acct <issuer> <account> <secret> <algorithm> <digits> <type> <counter> <mismatch>  (each)
//   refuse <text>               an export to refuse, then
//   error <errc name> <account index or -1> <position or -1>
// Names and secrets are hex ("-" when empty). The expected names follow the header's rules:
// split at the issuer field when it prefixes the name with a ':', else at the first ':';
// spaces before the account dropped; the issuer field, when not empty, wins.
constexpr std::string_view python_script = R"py(
import base64, random, sys, urllib.parse
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
fd = descriptor_pb2.FileDescriptorProto(name='interop_migration.proto', package='interop', syntax='proto2')

def message(name, fields):
    m = fd.message_type.add(name=name)
    for number, (field_name, kind, label, type_name) in enumerate(fields, 1):
        f = m.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name: f.type_name = type_name

OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
# The enumerations are varints on the wire, as int32 (proto2 refuses values outside an enum).
def otp(name, text):
    message(name, [('secret', F.TYPE_BYTES, OPT, None), ('name', text, OPT, None), ('issuer', text, OPT, None),
                   ('algorithm', F.TYPE_INT32, OPT, None), ('digits', F.TYPE_INT32, OPT, None),
                   ('type', F.TYPE_INT32, OPT, None), ('counter', F.TYPE_INT64, OPT, None)])
def payload(name, account):
    message(name, [('otp_parameters', F.TYPE_MESSAGE, REP, '.interop.' + account),
                   ('version', F.TYPE_INT32, OPT, None), ('batch_size', F.TYPE_INT32, OPT, None),
                   ('batch_index', F.TYPE_INT32, OPT, None), ('batch_id', F.TYPE_INT32, OPT, None)])
otp('OtpParameters', F.TYPE_STRING)
payload('MigrationPayload', 'OtpParameters')
otp('RawOtpParameters', F.TYPE_BYTES)  # the same wire format, names as bytes: not UTF-8 too
payload('RawMigrationPayload', 'RawOtpParameters')
pool = descriptor_pool.DescriptorPool()
pool.Add(fd)
factory = message_factory.MessageFactory(pool)
Payload = factory.GetPrototype(pool.FindMessageTypeByName('interop.MigrationPayload'))
RawPayload = factory.GetPrototype(pool.FindMessageTypeByName('interop.RawMigrationPayload'))

rng = random.Random(int(sys.argv[1]))
MAX_PART = 256  # max_label_part_size
MAX_DATA = 4096  # max_migration_data_size
INT64_MAX = 2**63 - 1

# Pieces of names: ASCII (URI-special characters too), U+00A0 (just above the C1 controls),
# 2-, 3- and 4-byte UTF-8, a combining mark, a BOM, U+10FFFD.
PIECES = list('abcxyzABCXYZ0189') + list(' .-_~@+/%&=?#!"\'()*,;<>[]\\^`{|}$') + \
    ['\u00a0', '\u00e9', '\u00fc', '\u00df', '\u0416', '\u044f', '\u0301', '\u65e5', '\u672c', '\u20ac',
     '\ufeff', '\U0001f600', '\U0001f510', '\U0010fffd']

def utf8_size(s): return len(s.encode())

def word(max_bytes):
    count = 10**6 if rng.random() < 0.1 else rng.randint(1, 20)  # sometimes as long as allowed
    out = ''
    while len(out) < count:
        piece = rng.choice(PIECES)
        if utf8_size(out + piece) > max_bytes: break
        out += piece
    if not out or out[0] == ' ': out = 'q' + out[:-1]
    while utf8_size(out) > max_bytes: out = out[:-1]
    return out

def hexed(data):
    if isinstance(data, str): data = data.encode()
    return data.hex() if data else '-'

# What the header's rules make of the name and issuer fields: (issuer, account, mismatch), or
# None when they refuse them.
def split_names(name, issuer_field):
    if issuer_field and len(name) > len(issuer_field) and name.startswith(issuer_field) and \
            name[len(issuer_field)] == ':':
        label_issuer, account = issuer_field, name[len(issuer_field) + 1:]
    elif ':' in name:
        label_issuer, account = name.split(':', 1)
    else:
        label_issuer, account = '', name
    account = account.lstrip(' ')
    if not account or ':' in account: return None
    if any(utf8_size(p) > MAX_PART for p in (label_issuer, account, issuer_field)): return None
    issuer = issuer_field or label_issuer
    return issuer, account, bool(issuer_field and label_issuer and label_issuer != issuer_field)

def random_names():
    while True:
        form = rng.randrange(5)
        account = word(MAX_PART)
        spaces = ' ' * rng.choice([0, 0, 0, 1, 2])
        issuer = word(MAX_PART).replace(':', '')
        if form == 0:    # "account", with an issuer field or not
            name, field = account, rng.choice(['', issuer])
        elif form == 1:  # "Issuer:account", no issuer field
            name, field = issuer + ':' + spaces + account, ''
        elif form == 2:  # "Issuer:account" and the same issuer field (which may hold a ':')
            if rng.random() < 0.3: issuer = word(MAX_PART // 2) + ':' + word(MAX_PART // 2 - 1)
            name, field = issuer + ':' + spaces + account, issuer
        elif form == 3:  # "Label:account" and another issuer field: the field wins
            name, field = issuer + ':' + spaces + account, word(MAX_PART)
        else:            # ":account"
            name, field = ':' + spaces + account, rng.choice(['', issuer])
        if utf8_size(name) > 2 * MAX_PART + 1: continue
        split = split_names(name, field)
        if split is not None: return name, field, split

def random_secret():
    size = rng.choice([1, 2, 10, 16, 20, 32, 63, 64, rng.randint(1, 64)])
    data = bytearray(rng.getrandbits(8) for _ in range(size))
    if rng.random() < 0.3: data[rng.randrange(size)] = 0
    if rng.random() < 0.1: data = bytearray(size)  # all zero
    return bytes(data)

ALGORITHMS = {0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512'}
DIGITS = {0: 6, 1: 6, 2: 8}
TYPES = {0: 'totp', 1: 'hotp', 2: 'totp'}

def maybe(values):  # None: the field is not set at all
    return {k: v for k, v in values.items() if v is not None}

# A valid account: the message's fields and the expected "acct" line.
def random_account():
    name, field, (issuer, account, mismatch) = random_names()
    secret = random_secret()
    algorithm = rng.choice([None, 0, 1, 2, 3])
    digits = rng.choice([None, 0, 1, 2])
    kind = rng.choice([None, 0, 1, 2])
    counter = rng.choice([None, 0, 1, rng.randint(0, 1000), rng.randint(0, INT64_MAX), INT64_MAX,
                          -1, -INT64_MAX - 1])  # negative: ignored by TOTP
    if kind == 1 and (counter is None or counter < 0): counter = rng.choice([None, INT64_MAX, 7])
    values = maybe(dict(secret=secret, name=name, issuer=field if field or rng.random() < 0.5 else None,
                        algorithm=algorithm, digits=digits, type=kind, counter=counter))
    hotp = kind == 1
    line = 'acct %s %s %s %s %d %s %d %d' % (hexed(issuer), hexed(account), hexed(secret),
                                           ALGORITHMS[algorithm or 0], DIGITS[digits or 0],
                                           TYPES[kind or 0], (counter or 0) if hotp else 0, mismatch)
    return values, line

def random_batch(m):
    for field in ('version', 'batch_size', 'batch_index', 'batch_id'):
        choice = rng.randrange(4)
        if choice == 0: continue  # absent: 0
        if choice < 3: value = rng.choice([0, 1, 2, rng.randint(-2**31, 2**31 - 1)])
        else: value = rng.choice([-1, -2**31, 2**31 - 1])
        setattr(m, field, value)

def uri_of(data):
    text = base64.b64encode(data).decode()
    style = rng.randrange(6)
    if style == 0: quoted = urllib.parse.quote(text, safe='/=')              # raw '/' and '='
    elif style == 1: quoted = urllib.parse.quote(text, safe='+/=')           # nothing encoded
    elif style == 2: quoted = urllib.parse.quote(text.rstrip('='), safe='')  # no padding
    else: quoted = urllib.parse.quote(text, safe='')                         # as Google writes it
    prefix = rng.choice(['otpauth-migration://offline?'] * 3 + ['OTPAUTH-MIGRATION://Offline?'])
    if rng.random() < 0.1: prefix += 'v=1&'
    suffix = '&x=y' if rng.random() < 0.1 else ''
    return prefix + 'data=' + quoted + suffix

def print_export(m, lines):
    print('uri ' + uri_of(m.SerializeToString()))
    print('batch %d %d %d %d %d' % (m.version, m.batch_size, m.batch_index, m.batch_id, len(lines)))
    for line in lines: print(line)

for _ in range(int(sys.argv[2])):
    m = Payload()
    random_batch(m)
    lines = []
    for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8])):
        values, line = random_account()
        m.otp_parameters.add(**values)
        if m.ByteSize() > MAX_DATA:
            del m.otp_parameters[-1]
            break
        lines.append(line)
    print_export(m, lines)

# Refused: one bad account (sometimes another fault after it) among good ones: the expected
# error code, the account's index, and the position (the start of the data).
BAD = [
    ('unsupported_algorithm', dict(algorithm=4)),            # MD5
    ('unsupported_algorithm', dict(algorithm=5)),
    ('unsupported_algorithm', dict(algorithm=-1)),
    ('unsupported_algorithm', dict(algorithm=4, digits=3)),  # algorithm is checked first
    ('invalid_digits', dict(digits=3)),
    ('invalid_digits', dict(digits=-1, type=3)),             # digits before type
    ('unsupported_otp_type', dict(type=3)),
    ('unsupported_otp_type', dict(type=3, counter=-1)),
    ('invalid_counter', dict(type=1, counter=-1)),
    ('invalid_counter', dict(type=1, counter=-INT64_MAX - 1)),
    ('empty_secret', dict(secret=b'')),
    ('empty_secret', dict(secret=None)),
    ('secret_too_long', dict(secret=bytes(range(65)))),
    ('secret_too_long', dict(secret=b'\xff' * 200)),
    ('missing_account_name', dict(name='ACME:   ', issuer='ACME')),
    ('missing_account_name', dict(name=None, issuer='ACME')),
    ('missing_account_name', dict(name=':')),
    ('invalid_label', dict(name='a:b:c', issuer='')),  # a ':' in the account
    ('invalid_label', dict(name='ACME:alice\x07')),    # control characters
    ('invalid_label', dict(name='alice\u0085')),
    ('invalid_label', dict(name='alice', issuer='AC\x7fME')),
    ('label_too_long', dict(name='x' * 257)),
    ('label_too_long', dict(name='ACME:' + '\u00e9' * 128 + 'x')),
    ('label_too_long', dict(name='alice', issuer='i' * 257)),
    ('label_too_long', dict(name='i' * 257 + ':alice')),
    ('label_too_long', dict(name='i' * 256 + ':  ' + 'a' * 256)),  # 515 bytes: the spaces count
    ('invalid_utf8', dict(name=b'caf\xc3')),                        # cut short
    ('invalid_utf8', dict(name=b'alice', issuer=b'\xed\xa0\x80')),  # a surrogate
    ('invalid_utf8', dict(name=b'\xc0\xaf')),                       # overlong
]

def as_bytes(values):
    return {k: (v.encode() if isinstance(v, str) else v) for k, v in values.items()}

for _ in range(3):
    for code, change in BAD:
        raw = any(isinstance(v, bytes) for k, v in change.items() if k != 'secret')
        m = RawPayload() if raw else Payload()
        random_batch(m)
        count = rng.randint(1, 4)
        bad = rng.randrange(count)
        for i in range(count):
            values, _ = random_account()
            if i == bad:
                values.update(change)
            elif i > bad and rng.random() < 0.5:
                values['algorithm'] = 4  # a later fault: the first one is reported
            values = maybe(values)
            m.otp_parameters.add(**(as_bytes(values) if raw else values))
        uri = uri_of(m.SerializeToString())
        print('refuse ' + uri)
        print('error %s %d %d' % (code, bad, uri.index('data=') + 5))

# The size limit: exactly MAX_DATA bytes are read, one more is refused (where the data stops
# fitting is not checked: -1).
def payload_of_size(size):
    while True:
        m = Payload()
        lines = []
        while m.ByteSize() < size - 400:
            values, line = random_account()
            m.otp_parameters.add(**values)
            lines.append(line)
        if m.ByteSize() > size: continue
        for length in range(1, MAX_PART + 1):
            m.otp_parameters.add(secret=b'\x00' * 20, name='a' * length)
            if m.ByteSize() == size:
                lines.append('acct - %s %s SHA1 6 totp 0 0' % (hexed('a' * length), hexed(b'\x00' * 20)))
                return m, lines
            del m.otp_parameters[-1]

m, lines = payload_of_size(MAX_DATA)
print_export(m, lines)
m, lines = payload_of_size(MAX_DATA + 1)
print('refuse ' + uri_of(m.SerializeToString()))
print('error migration_data_too_long -1 -1')
)py";

struct python_export {
    std::string uri;
    migration_batch batch;
    std::vector<account_fields> accounts;
};

struct python_refusal {
    std::string uri;
    errc code{};
    std::size_t account = migration_error::no_account;
    long long position = -1;  // -1: not checked
};

struct python_output {
    std::vector<python_export> exports;
    std::vector<python_refusal> refusals;
};

python_output python_exports(std::uint64_t script_seed, std::size_t count) {
    twofactor_test::temp_folder folder("migration-interop");
    const std::string script = folder.write("exports.py", python_script);
    const auto output = run_shell(std::string(python) + " " + script + " " + std::to_string(script_seed) +
                                  " " + std::to_string(count));
    BOOST_REQUIRE_MESSAGE(output.status == 0, "the Python script failed (status " << output.status << ")");

    python_output result;
    std::istringstream lines(output.out);
    for (std::string line; std::getline(lines, line);) {
        const auto words = words_of(line);
        BOOST_REQUIRE_MESSAGE(!words.empty(), "empty line from Python");
        const std::string& kind = words[0];
        if (kind == "uri" || kind == "refuse") {
            BOOST_REQUIRE_EQUAL(words.size(), 2u);
            if (kind == "uri")
                result.exports.push_back({words[1], {}, {}});
            else
                result.refusals.push_back({words[1]});
        } else if (kind == "batch") {
            BOOST_REQUIRE(words.size() == 6 && !result.exports.empty());
            migration_batch& b = result.exports.back().batch;
            b.version = number_of<std::int32_t>(words[1]);
            b.batch_size = number_of<std::int32_t>(words[2]);
            b.batch_index = number_of<std::int32_t>(words[3]);
            b.batch_id = number_of<std::int32_t>(words[4]);
            b.accounts = number_of<std::size_t>(words[5]);
        } else if (kind == "acct") {
            BOOST_REQUIRE(words.size() == 9 && !result.exports.empty());
            account_fields a;
            a.issuer = from_hex(words[1]);
            a.account = from_hex(words[2]);
            a.secret_hex = words[3] == "-" ? "" : words[3];
            a.algorithm = words[4];
            a.digits = number_of<unsigned>(words[5]);
            a.type = words[6];
            a.counter = number_of<std::uint64_t>(words[7]);
            a.issuer_mismatch = words[8] == "1";
            result.exports.back().accounts.push_back(std::move(a));
        } else if (kind == "error") {
            BOOST_REQUIRE(words.size() == 4 && !result.refusals.empty());
            python_refusal& r = result.refusals.back();
            r.code = errc_named(words[1]);
            const auto account = number_of<long long>(words[2]);
            r.account = account < 0 ? migration_error::no_account : static_cast<std::size_t>(account);
            r.position = number_of<long long>(words[3]);
        } else {
            BOOST_FAIL("unexpected line from Python: " << line);
        }
    }
    return result;
}

// ---- protoc ---------------------------------------------------------------------------------------

// Google Authenticator's schema (as its app declares it, enumerations included), with fields
// the reader does not know, of every wire type; and two wire-compatible views of it.
constexpr std::string_view protoc_schema = R"pb(syntax = "proto2"
                                                ;

message MigrationPayload {
  enum Algorithm { ALGORITHM_UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
  enum DigitCount { DIGIT_COUNT_UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }
  enum OtpType { OTP_TYPE_UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
  message OtpParameters {
    optional bytes secret = 1;
    optional string name = 2;
    optional string issuer = 3;
    optional Algorithm algorithm = 4;
    optional DigitCount digits = 5;
    optional OtpType type = 6;
    optional int64 counter = 7;
    optional string unique_id = 8;  // newer exports
    optional fixed64 extra_fixed64 = 9;
    optional float extra_float = 10;
    optional OtpParameters extra_message = 11;
    repeated sint32 extra_packed = 12 [packed = true];
  }
  repeated OtpParameters otp_parameters = 1;
  optional int32 version = 2;
  optional int32 batch_size = 3;
  optional int32 batch_index = 4;
  optional int32 batch_id = 5;
  optional double extra_double = 6;
  optional string extra_text = 100000;
}

// Every field repeatable, so that text format can give one twice (proto2 writes a repeated
// scalar unpacked: one tag per value).
message MigrationPayloadTwice {
  message OtpParameters {
    repeated bytes secret = 1;
    repeated string name = 2;
    repeated string issuer = 3;
    repeated MigrationPayload.Algorithm algorithm = 4;
    repeated MigrationPayload.DigitCount digits = 5;
    repeated MigrationPayload.OtpType type = 6;
    repeated int64 counter = 7;
  }
  repeated OtpParameters otp_parameters = 1;
  repeated int32 version = 2;
  repeated int32 batch_size = 3;
  repeated int32 batch_index = 4;
  repeated int32 batch_id = 5;
}

// The accounts as bytes: an account's encoding put together from separately encoded parts.
message MigrationPayloadBytes {
  repeated bytes otp_parameters = 1;
}

// Known fields of the wrong wire type.
message MigrationPayloadWrongVersion {
  optional string version = 2;
}
message MigrationPayloadWrongSecret {
  message OtpParameters {
    optional fixed32 secret = 1;
    optional string name = 2;
  }
  repeated OtpParameters otp_parameters = 1;
}
)pb";

class protoc_session {
public:
    protoc_session() : schema_(folder_.write("migration.proto", protoc_schema)) { require_protoc(); }

    // protoc --encode: the binary encoding of a text-format message of `type`.
    std::string encode(const std::string& type, std::string_view text_format) {
        const std::string input = folder_.write(next_name(".txt"), text_format);
        const auto output = run_shell("protoc --proto_path=" + folder_.path().string() + " --encode=" + type +
                                      " " + schema_ + " < " + input);
        BOOST_REQUIRE_MESSAGE(output.status == 0, "protoc --encode=" << type << " failed on:\n"
                                                                     << text_format);
        return output.out;
    }

    // protoc --decode: the text format of binary `data` read as `type`.
    std::string decode(const std::string& type, std::string_view data) {
        const std::string input = folder_.write(next_name(".bin"), data);
        const auto output = run_shell("protoc --proto_path=" + folder_.path().string() + " --decode=" + type +
                                      " " + schema_ + " < " + input);
        BOOST_REQUIRE_MESSAGE(output.status == 0, "protoc --decode=" << type << " failed");
        return output.out;
    }

    // base64 -w0 of `data` (RFC 4648, padded).
    std::string base64(std::string_view data) {
        const auto output = run_shell("base64 -w0 " + folder_.write(next_name(".bin"), data));
        BOOST_REQUIRE_MESSAGE(output.status == 0, "base64 failed");
        return output.out;
    }

    // The export URI of binary `data`, as Google writes it.
    std::string uri(std::string_view data) { return migration_uri(base64(data)); }

private:
    std::string next_name(const char* extension) { return "file" + std::to_string(++files_) + extension; }

    twofactor_test::temp_folder folder_{"migration-interop"};
    std::string schema_;
    int files_ = 0;
};

// Text format's escape of every byte (\ooo), for a bytes field.
std::string octal_escaped(std::string_view data) {
    std::string text;
    for (const char c : data) {
        const auto byte = static_cast<unsigned char>(c);
        text += '\\';
        text += static_cast<char>('0' + (byte >> 6));
        text += static_cast<char>('0' + ((byte >> 3) & 7));
        text += static_cast<char>('0' + (byte & 7));
    }
    return text;
}

account_fields totp_account(std::string issuer, std::string account, std::string secret_hex,
                            std::string algorithm, unsigned digits) {
    return {std::move(issuer),
            std::move(account),
            std::move(secret_hex),
            std::move(algorithm),
            digits,
            "totp",
            0,
            30,
            false};
}

account_fields hotp_account(std::string issuer, std::string account, std::string secret_hex,
                            std::string algorithm, unsigned digits, std::uint64_t counter) {
    return {std::move(issuer),
            std::move(account),
            std::move(secret_hex),
            std::move(algorithm),
            digits,
            "hotp",
            counter,
            30,
            false};
}

// The accounts of an export that must be accepted, compared with the expected ones.
void check_accepted(const std::string& uri, const migration_batch& expected_batch,
                    const std::vector<account_fields>& expected_accounts) {
    BOOST_TEST_CONTEXT("uri " << uri) {
        const auto parsed = parse(uri);
        if (!parsed.batch) {
            BOOST_ERROR("refused: " << text_of(parsed.batch.error()));
            return;
        }
        BOOST_TEST(*parsed.batch == expected_batch);
        BOOST_TEST_REQUIRE(parsed.accounts.size() == expected_accounts.size());
        for (std::size_t i = 0; i < expected_accounts.size(); ++i) {
            BOOST_TEST_CONTEXT("account " << i) { BOOST_TEST(parsed.accounts[i] == expected_accounts[i]); }
        }
    }
}

void check_refused(const std::string& uri, errc code, std::size_t account) {
    BOOST_TEST_CONTEXT("uri " << uri) {
        const auto parsed = parse(uri);
        BOOST_TEST_REQUIRE(!parsed.batch.has_value());
        BOOST_TEST(parsed.batch.error().code == code);
        BOOST_TEST(parsed.batch.error().position == uri.find("data=") + 5);
        BOOST_TEST(parsed.batch.error().account == account);
        BOOST_TEST(parsed.accounts.empty());
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(tools_are_installed) {
    twofactor_test::require_python_module("from google.protobuf import message_factory", "python3-protobuf");
    require_protoc();
}

BOOST_AUTO_TEST_CASE(python_protobuf_exports_are_read_field_by_field) {
    twofactor_test::require_python_module("from google.protobuf import message_factory", "python3-protobuf");
    const auto output = python_exports(seed, export_count);
    // The random exports and the one of exactly max_migration_data_size bytes.
    BOOST_TEST_REQUIRE(output.exports.size() == export_count + 1);
    std::size_t accounts = 0, hotp = 0, mismatches = 0, non_ascii = 0, empty_exports = 0, raw_characters = 0;
    for (std::size_t i = 0; i < output.exports.size(); ++i) {
        const python_export& e = output.exports[i];
        BOOST_TEST_CONTEXT("export " << i) {
            BOOST_TEST_REQUIRE(e.batch.accounts == e.accounts.size());
            check_accepted(e.uri, e.batch, e.accounts);
        }
        accounts += e.accounts.size();
        empty_exports += e.accounts.empty() ? 1 : 0;
        raw_characters += e.uri.find_first_of("+/=", e.uri.find("data=") + 5) != std::string::npos ? 1 : 0;
        for (const auto& a : e.accounts) {
            hotp += a.type == "hotp" ? 1 : 0;
            mismatches += a.issuer_mismatch ? 1 : 0;
            non_ascii += twofactor::detail::has_non_ascii(a.issuer + a.account) ? 1 : 0;
        }
    }
    // The script covers what it should (a change to it that stops doing so fails here).
    BOOST_TEST(accounts > 500u);
    BOOST_TEST(hotp > 50u);
    BOOST_TEST(mismatches > 20u);
    BOOST_TEST(non_ascii > 100u);
    BOOST_TEST(empty_exports > 5u);
    BOOST_TEST(raw_characters > 20u);
    // The last one holds exactly max_migration_data_size bytes: 5,462 characters of base64 or more.
    const std::string& largest = output.exports.back().uri;
    BOOST_TEST(largest.size() - (largest.find("data=") + 5) >= 5462u);
}

BOOST_AUTO_TEST_CASE(python_protobuf_exports_are_refused_with_the_culprit) {
    twofactor_test::require_python_module("from google.protobuf import message_factory", "python3-protobuf");
    const auto output = python_exports(seed + 1, 0);
    BOOST_TEST_REQUIRE(output.exports.size() == 1u);  // the largest one that is accepted
    BOOST_TEST_REQUIRE(output.refusals.size() == 3 * 29 + 1u);
    for (std::size_t i = 0; i < output.refusals.size(); ++i) {
        const python_refusal& r = output.refusals[i];
        BOOST_TEST_CONTEXT("refusal " << i << ": " << describe(r.code) << ", " << r.uri) {
            const auto parsed = parse(r.uri);
            if (parsed.batch) {
                BOOST_ERROR("accepted, with " << parsed.accounts.size() << " accounts");
                continue;
            }
            BOOST_TEST(parsed.batch.error().code == r.code);
            BOOST_TEST(parsed.batch.error().account == r.account);
            BOOST_TEST(parsed.batch.error().position <= r.uri.size());
            if (r.position >= 0)
                BOOST_TEST(parsed.batch.error().position == static_cast<std::size_t>(r.position));
            BOOST_TEST(parsed.accounts.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(protoc_export_with_unknown_fields) {
    protoc_session protoc;
    // A Google-like export with a unique_id (field 8, newer exports), and fields of every wire
    // type the reader does not know, in the accounts and around them: a fixed64, a fixed32
    // (float), a nested message (holding MD5: never read), a packed field, a double and a
    // string with a five-byte tag.
    const std::string data = protoc.encode("MigrationPayload", R"(
        version: 1
        batch_size: 2
        batch_index: 1
        batch_id: -1194305224
        extra_double: 3.5
        extra_text: "ignored"
        otp_parameters {
          secret: "\000Hello!\336\255\276\357\000"
          name: "ACME Co:alice@example.com"
          issuer: "ACME Co"
          algorithm: SHA256
          digits: EIGHT
          type: TOTP
          unique_id: "3f2c1a9e-5b7d-4e2a-9c1f-0a8b7e6d5c4b"
          extra_fixed64: 18446744073709551615
          extra_float: 1.5
          extra_message { name: "not an account" algorithm: MD5 }
          extra_packed: [ -1, 2, -300 ]
        }
        otp_parameters {
          secret: "12345678901234567890"
          name: "bob"
          algorithm: SHA512
          type: HOTP
          counter: 9223372036854775807
          unique_id: "b"
        }
        otp_parameters {
          secret: "\377"
          name: "Caf\303\251: m\303\274ller"
          issuer: ""
        }
    )");
    check_accepted(protoc.uri(data), {1, 2, 1, -1194305224, 3},
                   {totp_account("ACME Co", "alice@example.com", "0048656c6c6f21deadbeef00", "SHA256", 8),
                    hotp_account("", "bob", "3132333435363738393031323334353637383930", "SHA512", 6,
                                 9223372036854775807u),
                    totp_account("Caf\xc3\xa9", "m\xc3\xbcller", "ff", "SHA1", 6)});
}

BOOST_AUTO_TEST_CASE(protoc_fields_out_of_order) {
    protoc_session protoc;
    // protoc writes fields in number order; out of order they come from concatenating
    // encodings, which protobuf reads as one message (repeated fields appended).
    const std::string first = protoc.encode("MigrationPayload", R"(
        otp_parameters { secret: "A" name: "first" }
        version: 1
        batch_id: 77
    )");
    const std::string second = protoc.encode("MigrationPayload", R"(
        batch_size: 4
        batch_index: 3
        otp_parameters { secret: "B" name: "second" issuer: "Second" algorithm: SHA512 }
    )");
    // An account whose fields come as 4, 5, 6, 7, 8, 2, 3, 1.
    const std::string parts =
        protoc.encode("MigrationPayload.OtpParameters",
                      "algorithm: SHA256 digits: EIGHT type: HOTP counter: 1000") +
        protoc.encode("MigrationPayload.OtpParameters",
                      "unique_id: \"x\" name: \"Example:carol\" issuer: \"Example\"") +
        protoc.encode("MigrationPayload.OtpParameters", "secret: \"\\001\\002\\003\\004\"");
    const std::string third =
        protoc.encode("MigrationPayloadBytes", "otp_parameters: \"" + octal_escaped(parts) + "\"");
    const std::string data = third + first + second;  // fields 1, 1, 2, 5, 1, 3, 4

    const std::vector<account_fields> expected = {
        hotp_account("Example", "carol", "01020304", "SHA256", 8, 1000),
        totp_account("", "first", "41", "SHA1", 6), totp_account("Second", "second", "42", "SHA512", 6)};
    check_accepted(protoc.uri(data), {1, 4, 3, 77, 3}, expected);

    // protoc reads the same: the accounts in this order, and the fields of the third.
    const std::string decoded = protoc.decode("MigrationPayload", data);
    const std::size_t carol = decoded.find("name: \"Example:carol\"");
    const std::size_t first_name = decoded.find("name: \"first\"");
    const std::size_t second_name = decoded.find("name: \"second\"");
    BOOST_TEST_REQUIRE(carol != std::string::npos, decoded);
    BOOST_TEST(carol < first_name);
    BOOST_TEST(first_name < second_name);
    BOOST_TEST(second_name != std::string::npos);
    for (const char* line : {"counter: 1000", "algorithm: SHA256", "digits: EIGHT", "type: HOTP",
                             "version: 1", "batch_id: 77", "batch_size: 4", "batch_index: 3"}) {
        BOOST_TEST(decoded.find(line) != std::string::npos, line << " in " << decoded);
    }
}

BOOST_AUTO_TEST_CASE(protoc_field_given_twice_last_wins) {
    protoc_session protoc;
    // Each value given twice or three times; the earlier ones would be refused or differ.
    const std::string data = protoc.encode("MigrationPayloadTwice", R"(
        version: 7
        version: 1
        batch_id: 5
        batch_id: -5
        otp_parameters {
          secret: "first secret"
          secret: "second"
          name: "Old:alice"
          name: "New:bob"
          issuer: "Old"
          issuer: "New"
          algorithm: SHA512
          algorithm: MD5
          algorithm: SHA256
          digits: EIGHT
          digits: SIX
          type: HOTP
          type: TOTP
          type: HOTP
          counter: -1
          counter: 42
        }
    )");
    check_accepted(protoc.uri(data), {1, 0, 0, -5, 1},
                   {hotp_account("New", "bob", "7365636f6e64", "SHA256", 6, 42)});

    // protoc's own reading of the same bytes with the real schema agrees.
    const std::string decoded = protoc.decode("MigrationPayload", data);
    for (const char* line :
         {"secret: \"second\"", "name: \"New:bob\"", "issuer: \"New\"", "algorithm: SHA256", "digits: SIX",
          "type: HOTP", "counter: 42", "version: 1", "batch_id: -5"}) {
        BOOST_TEST(decoded.find(line) != std::string::npos, line << " in " << decoded);
    }
    BOOST_TEST(decoded.find("alice") == std::string::npos, decoded);

    // And the other way: a good value, then a refused one.
    const std::string refused = protoc.encode("MigrationPayloadTwice", R"(
        otp_parameters { secret: "a" name: "good" }
        otp_parameters { secret: "b" name: "bad" algorithm: SHA1 algorithm: MD5 }
    )");
    check_refused(protoc.uri(refused), errc::unsupported_algorithm, 1);
    const std::string empty_secret = protoc.encode("MigrationPayloadTwice", R"(
        otp_parameters { secret: "a" secret: "" name: "bad" }
    )");
    check_refused(protoc.uri(empty_secret), errc::empty_secret, 0);
}

BOOST_AUTO_TEST_CASE(protoc_known_field_of_the_wrong_wire_type) {
    protoc_session protoc;
    const std::string version = protoc.encode("MigrationPayloadWrongVersion", "version: \"1\"");
    const std::string uri = protoc.uri(version);
    const auto parsed = parse(uri);
    BOOST_TEST_REQUIRE(!parsed.batch.has_value());
    BOOST_TEST(parsed.batch.error().code == errc::invalid_migration_data);
    BOOST_TEST(parsed.batch.error().position == uri.find("data=") + 5);
    BOOST_TEST(parsed.batch.error().account == migration_error::no_account);

    const std::string secret =
        protoc.encode("MigrationPayloadWrongSecret", "otp_parameters { secret: 1234 name: \"alice\" }");
    const auto wrong_secret = parse(protoc.uri(secret));
    BOOST_TEST_REQUIRE(!wrong_secret.batch.has_value());
    BOOST_TEST(wrong_secret.batch.error().code == errc::invalid_migration_data);
    BOOST_TEST(wrong_secret.accounts.empty());
}

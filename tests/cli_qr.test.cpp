// Tests of `twofactor qr` (tools/twofactor/qr_command.cpp), run as a separate process. The
// terminal rendering is read back into modules and decoded by an independent reader
// (zbarimg, Debian package zbar-tools): the proof, without a phone or a screenshot, that what
// the terminal shows scans.
#include <boost/test/unit_test.hpp>
#include <twofactor/qr.hpp>
#include <twofactor/qr_render.hpp>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/process.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using twofactor_test::cli_path;
using twofactor_test::process_output;
using twofactor_test::run_process;

namespace {

const std::string uri = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

process_output run_cli(const std::vector<std::string>& args) { return run_process(cli_path(), args); }

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The modules of the default (ansi palette) terminal rendering: the escape sequences removed,
// each character two module rows; block characters are light modules (true = dark below).
std::vector<std::vector<bool>> read_terminal_rendering(const std::string& text) {
    std::vector<std::vector<bool>> rows;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<bool> top;
        std::vector<bool> bottom;
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] == '\x1b') {  // SGR sequence: ESC [ ... m
                i = line.find('m', i);
                BOOST_REQUIRE(i != std::string::npos);
                ++i;
            } else if (line[i] == ' ') {
                top.push_back(true);
                bottom.push_back(true);
                ++i;
            } else {
                const std::string glyph = line.substr(i, 3);
                BOOST_REQUIRE_MESSAGE(glyph == "\u2588" || glyph == "\u2580" || glyph == "\u2584",
                                      "unexpected character in the terminal rendering");
                top.push_back(glyph == "\u2584");     // lower half light: upper dark
                bottom.push_back(glyph == "\u2580");  // upper half light: lower dark
                i += 3;
            }
        }
        rows.push_back(top);
        rows.push_back(bottom);
    }
    return rows;
}

// Decodes an image with zbarimg; fails naming the package when it is missing.
std::string zbar_decode(const fs::path& image) {
    const auto probe = run_process("zbarimg", {"--version"});
    BOOST_REQUIRE_MESSAGE(probe.status == 0, "zbarimg does not run: install the Debian package zbar-tools");
    const auto decoded = run_process("zbarimg", {"--raw", "-q", "-Sbinary", image.string()});
    BOOST_REQUIRE_MESSAGE(decoded.status == 0,
                          "zbarimg found no QR code in " << image << ": " << decoded.err);
    return decoded.out;
}

// Writes modules as a binary PBM (P4), `scale` pixels per module.
void write_pbm(const fs::path& path, const std::vector<std::vector<bool>>& modules, int scale) {
    const int height = static_cast<int>(modules.size()) * scale;
    const int width = static_cast<int>(modules.front().size()) * scale;
    std::ofstream out(path, std::ios::binary);
    out << "P4\n" << width << ' ' << height << '\n';
    for (const auto& row : modules)
        for (int repeat = 0; repeat < scale; ++repeat) {
            std::vector<unsigned char> bytes(static_cast<std::size_t>((width + 7) / 8), 0);
            for (int x = 0; x < width; ++x)
                if (row[static_cast<std::size_t>(x / scale)])
                    bytes[static_cast<std::size_t>(x / 8)] |= 0x80 >> (x % 8);
            out.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
        }
}

}  // namespace

BOOST_AUTO_TEST_CASE(terminal_rendering_is_the_library_matrix_and_scans) {
    // twofactor qr --format utf8 "$(twofactor uri --secret JBSWY3DPEHPK3PXP --issuer Example
    //                               --account alice@example.com)"
    const auto made = run_cli(
        {"uri", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "Example", "--account", "alice@example.com"});
    BOOST_TEST_REQUIRE(made.status == 0, made);
    BOOST_TEST_REQUIRE(made.out.ends_with("\n"));
    const std::string uri = made.out.substr(0, made.out.size() - 1);
    BOOST_TEST(uri.starts_with("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&"));

    const auto r = run_cli({"qr", "--format", "utf8", uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(r.err.empty());
    const auto modules = read_terminal_rendering(r.out);

    // The same matrix as the library's, inside a quiet zone of 4 light modules.
    const auto code = twofactor::qr_code::encode_text(uri).value();
    const int side = code.size() + 8;
    BOOST_TEST_REQUIRE(modules.size() >= static_cast<std::size_t>(side));
    for (int y = 0; y < side; ++y) {
        BOOST_TEST_REQUIRE(modules[static_cast<std::size_t>(y)].size() == static_cast<std::size_t>(side));
        for (int x = 0; x < side; ++x)
            BOOST_TEST(modules[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)] ==
                           code.module(x - 4, y - 4),
                       "module " << x - 4 << "," << y - 4);
    }

    // And an independent reader decodes exactly the URI from it.
    twofactor_test::temp_folder folder{"cli-qr"};
    write_pbm(folder.path() / "terminal.pbm", modules, 4);
    BOOST_TEST(zbar_decode(folder.path() / "terminal.pbm") == uri);
}

BOOST_AUTO_TEST_CASE(files_in_each_format) {
    twofactor_test::temp_folder folder{"cli-qr"};
    const auto png = folder.path() / "code.png";
    auto r = run_cli({"qr", "--format", "png", "--ecc", "H", "--out", png.string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(zbar_decode(png) == uri);
    // A new file is private (the text is usually an otpauth URI: a secret); a file that is
    // replaced keeps the mode its owner gave it.
    BOOST_TEST(static_cast<unsigned>(fs::status(png).permissions() & fs::perms::all) == 0600u);
    fs::permissions(png, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    r = run_cli({"qr", "--format", "png", "--out", png.string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(static_cast<unsigned>(fs::status(png).permissions() & fs::perms::all) == 0640u);
    BOOST_TEST(zbar_decode(png) == uri);

    // The format follows the file's extension when --format is not given.
    const auto svg = folder.path() / "code.svg";
    r = run_cli({"qr", "--out", svg.string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(read_file(svg).find("<svg ") != std::string::npos);
    const auto pbm = folder.path() / "code.pbm";
    r = run_cli({"qr", "--out", pbm.string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(read_file(pbm).starts_with("P4\n"));
    BOOST_TEST(zbar_decode(pbm) == uri);
    const auto upper = folder.path() / "CODE.PNG";  // extensions in any case
    r = run_cli({"qr", "--out", upper.string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(zbar_decode(upper) == uri);

    // Replacing a file leaves no temporary file behind.
    r = run_cli({"qr", "--format", "png", "--out", png.string(), "second"});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(zbar_decode(png) == "second");
    BOOST_TEST(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 4);
}

// --out names a symbolic link: the file it names is replaced and the link kept (even a link to
// a file not there yet). A device, FIFO or folder is never swapped for a regular file.
BOOST_AUTO_TEST_CASE(out_through_links_and_onto_special_files) {
    twofactor_test::temp_folder folder{"cli-qr"};
    fs::create_directory(folder.path() / "vault");
    const auto target = folder.path() / "vault" / "code.svg";
    std::ofstream(target) << "old";
    fs::create_symlink("vault/code.svg", folder.path() / "link.svg");
    fs::create_symlink(folder.path() / "link.svg", folder.path() / "link-to-link.svg");
    auto r = run_cli({"qr", "--out", (folder.path() / "link-to-link.svg").string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(fs::is_symlink(folder.path() / "link.svg"));
    BOOST_TEST(fs::is_symlink(folder.path() / "link-to-link.svg"));
    BOOST_TEST(read_file(target).find("<svg ") != std::string::npos);
    fs::create_symlink("vault/new.svg", folder.path() / "dangling.svg");
    r = run_cli({"qr", "--out", (folder.path() / "dangling.svg").string(), uri});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    BOOST_TEST(fs::is_symlink(folder.path() / "dangling.svg"));
    BOOST_TEST(read_file(folder.path() / "vault" / "new.svg").find("<svg ") != std::string::npos);

    const auto fifo = folder.path() / "fifo.svg";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    fs::create_symlink("vault", folder.path() / "folder-link.svg");
    fs::create_symlink("loop-b.svg", folder.path() / "loop-a.svg");
    fs::create_symlink("loop-a.svg", folder.path() / "loop-b.svg");
    for (const auto& [out, mention] : std::vector<std::pair<std::string, std::string>>{
             {fifo.string(), "not a regular file"},
             {"/dev/null", "not a regular file"},
             {(folder.path() / "folder-link.svg").string(), "Is a directory"},
             {(folder.path() / "loop-a.svg").string(), "symbolic link"}}) {
        r = run_cli({"qr", "--out", out, uri});
        BOOST_TEST(r.status == 2, out << ": " << r);
        BOOST_TEST(r.err.find(mention) != std::string::npos, out << ": " << r);
    }
    BOOST_TEST(fs::is_fifo(fifo));
    BOOST_TEST(fs::is_character_file("/dev/null"));
    BOOST_TEST(fs::is_symlink(folder.path() / "folder-link.svg"));
    BOOST_TEST(std::distance(fs::directory_iterator(folder.path() / "vault"), fs::directory_iterator()) == 2);
}

BOOST_AUTO_TEST_CASE(double_dash_ends_the_options) {
    const auto r = run_cli({"qr", "--format", "svg", "--", "--not-an-option"});
    BOOST_TEST_REQUIRE(r.status == 0, r);
    const auto expected = twofactor::qr_code::encode_text("--not-an-option").value();
    BOOST_TEST(r.out == twofactor::to_svg(expected).value());
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_exit_2_and_writes_nothing) {
    twofactor_test::temp_folder folder{"cli-qr"};
    const auto out = (folder.path() / "code.png").string();
    const std::string too_long(3000, 'x');  // more than 2953 bytes, version 40-L's capacity
    const std::vector<std::vector<std::string>> cases{
        {"qr", "--format", "gif", uri},
        {"qr", "--ecc", "X", uri},
        {"qr"},
        {"qr", "--out", out, too_long},
        {"qr", "--ecc", "H", "--out", out, std::string(1300, 'x')},  // fits L, not H
        {"qr", "--out", (folder.path() / "missing-folder" / "code.png").string(), uri},
        {"qr", "--out", "", uri},
        {"qr", uri, "extra"},
    };
    for (const auto& args : cases) {
        const auto r = run_cli(args);
        BOOST_TEST(r.status == 2, r);
        BOOST_TEST(r.out.empty());
        BOOST_TEST(r.err.starts_with("twofactor: error: "), r);
        BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r);
    }
    BOOST_TEST(fs::is_empty(folder.path()));
}

BOOST_AUTO_TEST_CASE(help) {
    const auto r = run_cli({"qr", "--help"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("twofactor qr") != std::string::npos);
}

// twofactor command-line tool: `twofactor qr`, a QR code (ISO/IEC 18004) of any text, for the
// terminal (UTF-8 half blocks), as SVG, PNG or PBM.
#include <sys/stat.h>
#include <array>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/core.h>

#include <twofactor/qr.hpp>
#include <twofactor/qr_render.hpp>

#include "atomic_file.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "qr_output.hpp"
#include "sensitive_text.hpp"

namespace twofactor::cli {

namespace {

constexpr std::array qr_options_table{
    option_spec{"--format", "svg|utf8|png|pbm",
                "output format (default: from the --out file's extension, else utf8)"},
    option_spec{"--ecc", "L|M|Q|H",
                "minimum error correction level (default M; raised while the size allows)"},
    option_spec{"--out", "FILE",
                "write to FILE instead of standard output: replaced atomically, a new file with mode "
                "0600 (the text is usually a secret), an existing one keeps its mode"},
};
constexpr std::string_view qr_usage =
    "twofactor qr [--format svg|utf8|png|pbm] [--ecc L|M|Q|H] [--out FILE] [--] TEXT";
constexpr std::string_view qr_description =
    "Encodes TEXT (for instance the otpauth:// URI from 'twofactor uri') as a QR code.\n"
    "utf8 draws it with half blocks in explicit colours, so it scans on dark and light\n"
    "terminals alike. '--' ends the options, so TEXT may begin with '-'.";

cli_result<output_format> parse_format(std::string_view text) {
    if (text == "utf8") return output_format::utf8;
    if (text == "svg") return output_format::svg;
    if (text == "png") return output_format::png;
    if (text == "pbm") return output_format::pbm;
    return cli_error(
        fmt::format("--format: unknown format {} (expected svg, utf8, png or pbm)", quoted(text)));
}

// The format a file name asks for, when its extension names one.
std::optional<output_format> format_of_file(std::string_view path) {
    const auto dot = path.find_last_of('.');
    if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return std::nullopt;
    std::string extension(path.substr(dot + 1));  // "codes.PNG" is a PNG too
    for (char& c : extension) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const auto format = parse_format(extension);
    if (!format) return std::nullopt;
    return *format;
}

cli_result<qr_ecc> parse_ecc(std::string_view text) {
    if (text == "L") return qr_ecc::low;
    if (text == "M") return qr_ecc::medium;
    if (text == "Q") return qr_ecc::quartile;
    if (text == "H") return qr_ecc::high;
    return cli_error(
        fmt::format("--ecc: unknown error correction level {} (expected L, M, Q or H)", quoted(text)));
}

}  // namespace

cli_result<sensitive_text> render_qr(const qr_code& code, output_format format) {
    const auto rendered = [&](auto size_of, auto render_into) -> cli_result<sensitive_text> {
        const auto size = size_of();
        if (!size) return cli_error(fmt::format("cannot render the QR code: {}", describe(size.error())));
        auto text = sensitive_text::of_size(*size);
        const auto written = render_into(std::span<char>(text.data(), text.size()));
        if (!written)
            return cli_error(fmt::format("cannot render the QR code: {}", describe(written.error())));
        text.truncate(*written);
        return text;
    };
    switch (format) {
        case output_format::utf8:
            return rendered([&] { return terminal_size(code); },
                            [&](std::span<char> out) { return render_terminal(code, out); });
        case output_format::svg:
            return rendered([&] { return svg_size(code); },
                            [&](std::span<char> out) { return render_svg(code, out); });
        case output_format::png:
            return rendered(
                [&] { return png_size(code); },
                [&](std::span<char> out) { return render_png(code, std::as_writable_bytes(out)); });
        case output_format::pbm:
            return rendered(
                [&] { return pbm_size(code); },
                [&](std::span<char> out) { return render_pbm(code, std::as_writable_bytes(out)); });
    }
    return cli_error("cannot render the QR code: unknown format");
}

int run_qr(std::span<const std::string_view> raw_args) {
    const auto args = parse_arguments(raw_args, qr_options_table, 1, "qr");
    if (!args) return report_error(args.error());
    if (args->help_requested()) {
        print_command_help(qr_usage, qr_description, qr_options_table);
        return exit_ok;
    }
    if (args->positionals().empty())
        return report_error("missing TEXT to encode (see 'twofactor qr --help')");
    const std::string_view text = args->positionals().front();

    const auto out = args->value("--out");
    if (out && out->empty()) return report_error("--out: empty file name");
    output_format format = output_format::utf8;
    if (const auto format_name = args->value("--format")) {
        const auto parsed = parse_format(*format_name);
        if (!parsed) return report_error(parsed.error());
        format = *parsed;
    } else if (out) {
        format = format_of_file(*out).value_or(output_format::utf8);
    }
    qr_options options;
    if (const auto ecc_name = args->value("--ecc")) {
        const auto parsed = parse_ecc(*ecc_name);
        if (!parsed) return report_error(parsed.error());
        options.ecc = *parsed;
    }

    const auto code = qr_code::encode_text(text, options);
    if (!code) {
        if (code.error() == errc::qr_data_too_long)
            return report_error(fmt::format("TEXT is too long for a QR code at level {} ({} bytes)",
                                            args->value("--ecc").value_or("M"), text.size()));
        return report_error(fmt::format("cannot encode TEXT: {}", describe(code.error())));
    }
    const auto rendered = render_qr(*code, format);
    if (!rendered) return report_error(rendered.error());

    if (out) {
        const std::string path(*out);
        struct stat existing {};
        const mode_t mode = ::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)
                                ? static_cast<mode_t>(existing.st_mode & 07777)
                                : mode_t{0600};
        const auto written = write_file_atomically(path, rendered->text(), mode);
        if (!written) return report_error(fmt::format("--out: {}", written.error()));
        return exit_ok;
    }
    if (std::fwrite(rendered->text().data(), 1, rendered->size(), stdout) != rendered->size() ||
        std::fflush(stdout) != 0)
        return report_error("cannot write to standard output");
    return exit_ok;
}

}  // namespace twofactor::cli

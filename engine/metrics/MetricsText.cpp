#include "metrics/MetricsText.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

namespace mutt::metrics {
namespace {

std::optional<QByteArray> nonFinite(double value)
{
    if (std::isnan(value))
        return QByteArray("NaN");
    if (std::isinf(value))
        return QByteArray(value > 0 ? "+Inf" : "-Inf");
    return std::nullopt;
}

// The shortest decimal digits that read back as `value`, and the power of
// ten of the first digit: 0.005 gives "5" and -3, 1234.5 gives "12345" and 3.
struct Digits {
    bool negative = false;
    std::string digits;
    int exponent = 0;
};

Digits shortestDigits(double value)
{
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    Digits out;
    if (error != std::errc())
        return out;
    const std::string text(buffer, end);  // e.g. "-1.2345e+03"
    size_t pos = 0;
    if (text[pos] == '-') {
        out.negative = true;
        ++pos;
    }
    const size_t e = text.find('e', pos);
    for (size_t i = pos; i < e; ++i) {
        if (text[i] != '.')
            out.digits += text[i];
    }
    out.exponent = std::stoi(text.substr(e + 1));
    return out;
}

// Python's repr(float): fixed notation with at least one decimal for
// exponents -4..15, else d.ddde+XX with at least two exponent digits.
std::string pythonRepr(const Digits &d)
{
    std::string out = d.negative ? "-" : "";
    const int count = int(d.digits.size());
    if (d.exponent >= -4 && d.exponent < 16) {
        if (d.exponent < 0) {
            out += "0." + std::string(size_t(-d.exponent - 1), '0') + d.digits;
        } else if (count > d.exponent + 1) {
            const auto whole = size_t(d.exponent) + 1;
            out += d.digits.substr(0, whole) + '.' + d.digits.substr(whole);
        } else {
            out += d.digits + std::string(size_t(d.exponent + 1 - count), '0') + ".0";
        }
        return out;
    }
    out += d.digits.substr(0, 1);
    if (count > 1)
        out += '.' + d.digits.substr(1);
    const int magnitude = std::abs(d.exponent);
    out += d.exponent < 0 ? "e-" : "e+";
    if (magnitude < 10)
        out += '0';
    out += std::to_string(magnitude);
    return out;
}

}  // namespace

QByteArray sampleText(double value)
{
    if (const auto special = nonFinite(value))
        return *special;
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (error != std::errc())
        return QByteArray::number(value, 'g', 17);
    return QByteArray(buffer, int(end - buffer));
}

QByteArray boundText(double value)
{
    if (const auto special = nonFinite(value))
        return *special;
    const Digits digits = shortestDigits(value);
    if (digits.digits.empty())
        return QByteArray::number(value, 'g', 17);
    std::string text = pythonRepr(digits);
    // prometheus_client switches to Go's exponent form for positive values
    // with more than six digits before the point: 10000000.0 -> 1e+07.
    const size_t dot = text.find('.');
    if (value > 0 && dot != std::string::npos && dot > 6) {
        std::string mantissa = text.substr(0, 1) + '.' + text.substr(1, dot - 1) + text.substr(dot + 1);
        while (!mantissa.empty() && (mantissa.back() == '0' || mantissa.back() == '.'))
            mantissa.pop_back();
        text = mantissa + "e+0" + std::to_string(dot - 1);
    }
    return QByteArray::fromStdString(text);
}

}  // namespace mutt::metrics

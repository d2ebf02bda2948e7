#pragma once

#include <QByteArray>

namespace mutt::metrics {

// Numbers in the Prometheus text format.

// Formats a sample value. NaN and infinities are "NaN", "+Inf" and "-Inf",
// and an integer below 1e15 has no fraction ("5"). Any other value is the
// shortest text that reads back as the same double ("4.034", "1e-05").
// Prometheus parses "5" and prometheus_client's "5.0" to the same number.
QByteArray sampleText(double value);

// Formats a bucket bound (le) or quantile label as MUTT v2.5's
// prometheus_client does: Python's repr of the double ("0.005", "1.0",
// "10.0", "1e-05"), with Go's exponent form from 1e7 up ("1e+07").
// Prometheus compares label values as text, so a sum by (le) over v2.5 and
// muttd targets merges buckets only when both write the same text.
QByteArray boundText(double value);

}  // namespace mutt::metrics

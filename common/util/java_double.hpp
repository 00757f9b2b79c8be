#pragma once
// Doubles printed the way Java's Double.toString prints them ("10.0", "0.001", "1.0E7",
// "1.5E-4"): the CSV exports of the Java server carried values in this form, and scripts that
// read those files expect it.

#include <string>

namespace blynk::util {

/// The shortest digits that read back as `value`, laid out as Java does: plain decimal with at
/// least one fraction digit for 1e-3 <= |value| < 1e7, otherwise "d.dddE<exponent>"; "NaN",
/// "Infinity", "-Infinity", "0.0", "-0.0" as in Java.
std::string java_double(double value);

}  // namespace blynk::util

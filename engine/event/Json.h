#pragma once

#include "core/Result.h"

#include <rapidjson/document.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace mutt::event::json {

using Allocator = rapidjson::Document::AllocatorType;

// Containers nested deeper than this are rejected (an array of objects is 2 levels).
inline constexpr int maxDepth = 64;

// Parses one JSON text into `out`, allocating from `allocator`:
// - duplicate keys keep the last value, at the position of the first;
// - integers that fit int64/uint64 become numbers, larger ones keep their
//   exact text (see isRawNumber); decimals become doubles;
// - invalid UTF-8, raw NUL bytes, lone UTF-16 surrogates in \u escapes,
//   NaN/Infinity, numbers beyond the double range and nesting deeper than
//   maxDepth are rejected.
// Errors are InvalidInput with a message that names the problem and the byte
// offset (0-based).
Status parse(QByteArrayView text, rapidjson::Value &out, Allocator &allocator);

// Compact UTF-8 JSON, members in their stored order; raw numbers are written
// as their digits.
QByteArray write(const rapidjson::Value &value);

// A number kept as text because no native type represents it exactly. It is stored
// as a string value that starts with the byte 0xFF, which never occurs in
// valid UTF-8, followed by the number's JSON text. Always serialise through
// write() (or Event::toJson()) so it is emitted as a bare number.
bool isRawNumber(const rapidjson::Value &value);
QByteArrayView rawNumberText(const rapidjson::Value &value);
void setRawNumber(rapidjson::Value &value, QByteArrayView numberText, Allocator &allocator);

// "object", "array", "string", "number", "boolean" or "null".
QString typeName(const rapidjson::Value &value);

// Text of a scalar for people: strings as they are, numbers as written,
// true/false, empty for null; objects and arrays as compact JSON.
QString text(const rapidjson::Value &value);

// True when the value is a string consisting only of whitespace, or empty.
bool isBlankString(const rapidjson::Value &value);

}  // namespace mutt::event::json

#include "event/IngestBody.h"

#include "event/Gzip.h"

#include <QVarLengthArray>

#include <cstring>

#include <charconv>
#include <optional>

namespace mutt::event {
namespace {

enum class Format { Json, Ndjson };

QString acceptedTypes()
{
    return QStringLiteral("send application/json (one event object or an array of them), application/x-ndjson or "
                          "text/plain (NDJSON: one object a line)");
}

IngestBodyResult rejected(int status, QString message)
{
    IngestBodyResult result;
    result.httpStatus = status;
    result.message = std::move(message);
    return result;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Media types are case-insensitive (RFC 9110 section 8.3.1); compared in place, without a lower-case copy.
std::optional<Format> formatOf(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView media = (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
    const QByteArrayView prefix = "application/";
    const QByteArrayView suffix = "+json";
    const bool jsonSuffix = media.size() >= prefix.size() + suffix.size()
        && equalsIgnoringCase(media.first(prefix.size()), prefix)
        && equalsIgnoringCase(media.last(suffix.size()), suffix);
    if (equalsIgnoringCase(media, "application/json") || jsonSuffix)
        return Format::Json;
    if (equalsIgnoringCase(media, "application/x-ndjson") || equalsIgnoringCase(media, "application/ndjson")
        || equalsIgnoringCase(media, "text/plain"))
        return Format::Ndjson;
    return std::nullopt;
}

// Valid UTF-8 for the rejected list, at most rawMaxBytes.
QByteArray shortRaw(QByteArrayView bytes)
{
    const QByteArrayView kept = bytes.first(std::min(bytes.size(), IngestBodyDecoder::rawMaxBytes));
    return QString::fromUtf8(kept).toUtf8();
}

struct Line {
    QByteArrayView text;
    int number = 0;  // 1-based line of the body
};

QList<Line> nonBlankLines(QByteArrayView body)
{
    QList<Line> lines;
    qsizetype start = 0;
    int number = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        ++number;
        QByteArrayView line = body.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            lines.append({line, number});
        start = end + 1;
    }
    return lines;
}

Result<QByteArray> decodeContent(const IngestBodyInput &input)
{
    const QByteArray encoding = input.contentEncoding.trimmed().toLower();
    if (encoding.isEmpty() || encoding == "identity")
        return input.body;
    if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate")
        return inflateBody(input.body, input.maxBytes);
    return makeError(ErrorCode::InvalidInput,
        QStringLiteral("Content-Encoding \"") + QString::fromLatin1(encoding)
            + QStringLiteral("\" is not supported; send gzip or a plain body"));
}

}  // namespace

IngestBodyDecoder::IngestBodyDecoder(QStringList requiredFields) : m_normalizer(std::move(requiredFields)) { }

IngestBodyResult IngestBodyDecoder::decode(const IngestBodyInput &input, const IngestStamp &stamp) const
{
    const QByteArray contentType = input.contentType.trimmed();
    if (contentType.isEmpty())
        return rejected(400, QStringLiteral("the Content-Type header is missing; ") + acceptedTypes());
    const std::optional<Format> format = formatOf(contentType);
    if (!format)
        return rejected(400,
            QStringLiteral("Content-Type \"") + QString::fromLatin1(contentType)
                + QStringLiteral("\" is not accepted; ") + acceptedTypes());

    Result<QByteArray> content = decodeContent(input);
    if (!content)
        return rejected(content.error().code == ErrorCode::Full ? 413 : 400, content.error().message);
    QByteArrayView body = content.value();
    if (body.size() > input.maxBytes)
        return rejected(413,
            QStringLiteral("the body exceeds MAX_BODY_BYTES (%1 bytes); send smaller batches").arg(input.maxBytes));
    if (body.startsWith("\xEF\xBB\xBF"))
        body = body.sliced(3);
    if (body.trimmed().isEmpty())
        return rejected(400, QStringLiteral("the request body is empty; ") + acceptedTypes());

    // The first 16 KiB of the parsed events live on the stack; most single
    // events fit, and a batch takes more chunks from the heap.
    alignas(std::max_align_t) char firstChunk[16 * 1024];
    json::Allocator allocator(firstChunk, sizeof firstChunk);
    const ItemStamp itemStamp(stamp);
    // A JSON array is never a valid NDJSON line, so an NDJSON body that
    // starts with one is read as JSON, as a JSON body of several lines of
    // objects is read as NDJSON.
    if (*format == Format::Ndjson && !body.trimmed().startsWith('['))
        return decodeLines(body, allocator, itemStamp);
    return decodeJson(body, allocator, itemStamp);
}

IngestBodyResult IngestBodyDecoder::decodeJson(
    QByteArrayView body, json::Allocator &allocator, const ItemStamp &stamp) const
{
    rapidjson::Value root;
    if (const Status parsed = json::parse(body, root, allocator); !parsed) {
        if (looksLikeNdjson(body, allocator))
            return decodeLines(body, allocator, stamp);
        return rejected(400, parsed.error().message);
    }

    IngestBodyResult result;
    if (root.IsObject()) {
        result.batch.total = 1;
        normalizeItem(root, 0, allocator, stamp, result.batch);
        return result;
    }
    if (!root.IsArray())
        return rejected(
            400, QStringLiteral("the body must be a JSON object or an array of objects; got ") + json::typeName(root));
    if (root.Empty())
        return rejected(400, QStringLiteral("the JSON array is empty; send at least one event object"));

    result.batch.total = int(root.Size());
    result.batch.items.reserve(root.Size());
    for (rapidjson::SizeType i = 0; i < root.Size(); ++i)
        normalizeItem(root[i], int(i), allocator, stamp, result.batch);
    return result;
}

IngestBodyResult IngestBodyDecoder::decodeLines(
    QByteArrayView body, json::Allocator &allocator, const ItemStamp &stamp) const
{
    const QList<Line> lines = nonBlankLines(body);
    if (lines.isEmpty())
        return rejected(400, QStringLiteral("the request body has no event; ") + acceptedTypes());

    IngestBodyResult result;
    result.batch.total = int(lines.size());
    result.batch.items.reserve(lines.size());
    for (int i = 0; i < lines.size(); ++i) {
        rapidjson::Value item;
        const Status parsed = json::parse(lines[i].text, item, allocator);
        if (!parsed) {
            result.batch.errors.append({i, parsed.error().message + QStringLiteral(" (line %1)").arg(lines[i].number),
                shortRaw(lines[i].text), true});
            continue;
        }
        normalizeItem(item, i, allocator, stamp, result.batch);
    }
    return result;
}

bool IngestBodyDecoder::looksLikeNdjson(QByteArrayView body, json::Allocator &allocator)
{
    const QList<Line> lines = nonBlankLines(body);
    if (lines.size() < 2)
        return false;
    rapidjson::Value first;
    return json::parse(lines.first().text, first, allocator) && first.IsObject();
}

IngestBodyDecoder::ItemStamp::ItemStamp(const IngestStamp &stamp)
    : correlationId(stamp.correlationId.toUtf8())
    , receivedAt(stamp.receivedAt.toUtf8())
{
}

void IngestBodyDecoder::normalizeItem(
    rapidjson::Value &item, int index, json::Allocator &allocator, const ItemStamp &stamp, IngestBatch &batch) const
{
    // The request's correlation id, with "-<index>" when the body has more than one item.
    QVarLengthArray<char, 128> correlationId(stamp.correlationId.size() + 12);
    std::memcpy(correlationId.data(), stamp.correlationId.constData(), size_t(stamp.correlationId.size()));
    char *end = correlationId.data() + stamp.correlationId.size();
    if (batch.total > 1) {
        *end++ = '-';
        end = std::to_chars(end, correlationId.data() + correlationId.size(), index).ptr;
    }
    const QByteArrayView itemCorrelationId(correlationId.data(), end - correlationId.data());

    if (const Status normalized = m_normalizer.normalize(item, allocator, itemCorrelationId, stamp.receivedAt);
        !normalized) {
        batch.errors.append({index, normalized.error().message, shortRaw(json::write(item)), false});
        return;
    }
    batch.items.append(json::write(item));
}

QString IngestBodyDecoder::noValidItemMessage(const IngestBatch &batch)
{
    if (batch.errors.isEmpty())
        return QStringLiteral("the body has no event");
    if (batch.total == 1)
        return batch.errors.first().message;

    QString message = QStringLiteral("none of the %1 events is valid; item %2: %3")
                          .arg(batch.total)
                          .arg(batch.errors.first().index)
                          .arg(batch.errors.first().message);
    if (batch.errors.size() > 1)
        message += QStringLiteral(" (see errors for the other %1)").arg(batch.errors.size() - 1);
    return message;
}

}  // namespace mutt::event

#pragma once

#include "event/Normalizer.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mutt::event {

// An item of the body that could not be queued.
struct IngestItemError {
    int index = 0;  // 0-based: element of the array, or non-blank line of NDJSON
    QString message;  // names the field, the value and the fix
    QByteArray raw;  // the item as received (valid UTF-8, shortened to rawMaxBytes)
    bool syntax = false;  // the item was not parseable JSON
};

struct IngestBatch {
    QList<QByteArray> items;  // normalised events, serialised, in body order
    QList<IngestItemError> errors;
    int total = 0;  // items in the body, valid and invalid
};

struct IngestBodyInput {
    QByteArray contentType;  // header value, parameters allowed
    QByteArray contentEncoding;  // header value, empty when absent
    QByteArray body;
    qint64 maxBytes = 10 * 1024 * 1024;  // limit for the (decompressed) body
};

// Decoding of a POST /ingest body:
// - Content-Type application/json (or application/<x>+json): one object or an
//   array of objects. rsyslog omhttp labels NDJSON batches application/json,
//   so a body that is not one JSON text but whose lines are JSON objects is
//   read as NDJSON;
// - application/x-ndjson, application/ndjson or text/plain: NDJSON, one object
//   a line; blank lines are skipped and CRLF is accepted;
// - Content-Encoding gzip/x-gzip/deflate, inflated with the same size limit;
// - a UTF-8 byte order mark is skipped.
// Each item is normalised (Normalizer) with the request correlation id, which
// gets "-<index>" appended when the body contains more than one item, so every
// queued event has its own id.
struct IngestBodyResult {
    int httpStatus = 200;  // 200: decoded (items may still be invalid); 400 or 413: the whole body is rejected
    QString message;  // why the body was rejected
    IngestBatch batch;

    [[nodiscard]] bool ok() const { return httpStatus == 200; }
};

class IngestBodyDecoder final {
public:
    static constexpr qsizetype rawMaxBytes = 64 * 1024;

    explicit IngestBodyDecoder(QStringList requiredFields = {});

    [[nodiscard]] IngestBodyResult decode(const IngestBodyInput &input, const IngestStamp &stamp) const;

    // The 400 message when a decoded body has no valid item.
    static QString noValidItemMessage(const IngestBatch &batch);

private:
    // The stamp as UTF-8, converted once for every item of a body.
    struct ItemStamp {
        explicit ItemStamp(const IngestStamp &stamp);
        QByteArray correlationId;
        QByteArray receivedAt;
    };

    IngestBodyResult decodeJson(QByteArrayView body, json::Allocator &allocator, const ItemStamp &stamp) const;
    IngestBodyResult decodeLines(QByteArrayView body, json::Allocator &allocator, const ItemStamp &stamp) const;
    static bool looksLikeNdjson(QByteArrayView body, json::Allocator &allocator);
    void normalizeItem(rapidjson::Value &item, int index, json::Allocator &allocator, const ItemStamp &stamp,
        IngestBatch &batch) const;

    Normalizer m_normalizer;
};

}  // namespace mutt::event

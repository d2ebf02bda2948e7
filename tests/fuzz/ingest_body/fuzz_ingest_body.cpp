// libFuzzer entry point for the ingest body decoder. The first byte picks how
// the rest is labelled (JSON, NDJSON, text/plain, gzip-encoded JSON); every
// accepted item must parse again and serialise to the same bytes.

#include "event/Event.h"
#include "event/IngestBody.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;

    static const char *const contentTypes[]
        = {"application/json", "application/x-ndjson", "text/plain; charset=utf-8", "application/json"};
    const int mode = data[0] % 4;
    mutt::event::IngestBodyInput input;
    input.contentType = contentTypes[mode];
    input.contentEncoding = mode == 3 ? QByteArray("gzip") : QByteArray();
    input.body = QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    input.maxBytes = 1024 * 1024;

    const mutt::event::IngestStamp stamp {QStringLiteral("fuzz"), QStringLiteral("2025-01-01T00:00:00.000Z")};
    const mutt::event::IngestBodyResult result = mutt::event::IngestBodyDecoder().decode(input, stamp);

    for (const QByteArray &item : result.batch.items) {
        const auto reparsed = mutt::event::Event::parse(item);
        if (!reparsed.ok() || reparsed.value().toJson() != item)
            std::abort();
    }
    return 0;
}

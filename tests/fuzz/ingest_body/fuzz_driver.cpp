// Runs the fuzz entry point without libFuzzer: over every sample file in the
// shared data folder (under each of the four labels) and over deterministic
// mutations of them (truncations, byte flips, inserted brackets and escapes).

#include <QDirIterator>
#include <QFile>

#include <cstdint>
#include <cstdio>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

void run(char mode, const QByteArray &body)
{
    const QByteArray input = mode + body;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}

QByteArray mutate(QByteArray body, std::mt19937 &random)
{
    static const QByteArray fragments[] = {"[", "]", "{", "}", "\"", "\\u", "\\uD800", "\xff", "\xc3", ",", ":",
        "1e999", "99999999999999999999999", "\r\n", "\n\n", "\0"};
    const int edits = 1 + int(random() % 4);
    for (int i = 0; i < edits && !body.isEmpty(); ++i) {
        const qsizetype at = qsizetype(random() % quint64(body.size()));
        switch (random() % 3) {
        case 0: body[at] = char(random() % 256); break;
        case 1: body.insert(at, fragments[random() % std::size(fragments)]); break;
        default: body.truncate(at); break;
        }
    }
    return body;
}

}  // namespace

int main()
{
    std::mt19937 random(20250115);
    int inputs = 0;
    QDirIterator files(QStringLiteral(MUTT_SHARED_DATA_DIR), {QStringLiteral("*.json"), QStringLiteral("*.ndjson")},
        QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray body = file.readAll();
        for (char mode = 0; mode < 4; ++mode) {
            run(mode, body);
            ++inputs;
        }
        for (int i = 0; i < 300; ++i) {
            run(char(random() % 4), mutate(body.left(4096), random));
            ++inputs;
        }
    }
    run(0, QByteArray(100000, '['));
    run(1, QByteArray(100000, '{'));
    std::printf("fuzz driver: %d inputs decoded without a crash\n", inputs + 2);
    return inputs > 0 ? 0 : 1;
}

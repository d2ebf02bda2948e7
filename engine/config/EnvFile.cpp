#include "config/EnvFile.h"

#include <QFile>
#include <QRegularExpression>

#include <optional>

namespace mutt::config {
namespace {

struct ParsedValue {
    QString value;
    QString error;
};

bool isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

// After a closing quote only whitespace or a comment may follow.
bool onlyCommentFollows(QStringView rest)
{
    const QStringView trimmed = rest.trimmed();
    return trimmed.isEmpty() || trimmed.startsWith(u'#');
}

ParsedValue parseSingleQuoted(QStringView text)
{
    const qsizetype close = text.indexOf(u'\'', 1);
    if (close < 0)
        return {{}, QStringLiteral("the single quote is not closed")};
    if (!onlyCommentFollows(text.mid(close + 1)))
        return {{}, QStringLiteral("unexpected text after the closing quote")};
    return {text.mid(1, close - 1).toString(), {}};
}

std::optional<QChar> unescape(QChar c)
{
    switch (c.unicode()) {
    case u'"': return QChar(u'"');
    case u'\\': return QChar(u'\\');
    case u'$': return QChar(u'$');
    case u'`': return QChar(u'`');
    case u'n': return QChar(u'\n');
    case u't': return QChar(u'\t');
    default: return std::nullopt;
    }
}

ParsedValue parseDoubleQuoted(QStringView text)
{
    QString value;
    for (qsizetype i = 1; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'"') {
            if (!onlyCommentFollows(text.mid(i + 1)))
                return {{}, QStringLiteral("unexpected text after the closing quote")};
            return {value, {}};
        }
        if (c == u'\\' && i + 1 < text.size()) {
            const std::optional<QChar> escaped = unescape(text.at(i + 1));
            // An unknown escape keeps its backslash, as the shell does.
            if (escaped) {
                value += *escaped;
                ++i;
                continue;
            }
        }
        value += c;
    }
    return {{}, QStringLiteral("the double quote is not closed")};
}

ParsedValue parseBare(QStringView text)
{
    qsizetype end = text.size();
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'#' && (i == 0 || text.at(i - 1).isSpace())) {
            end = i;
            break;
        }
    }
    return {text.left(end).trimmed().toString(), {}};
}

ParsedValue parseValue(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.startsWith(u'\''))
        return parseSingleQuoted(trimmed);
    if (trimmed.startsWith(u'"'))
        return parseDoubleQuoted(trimmed);
    return parseBare(trimmed);
}

}  // namespace

EnvFileContent EnvFile::parse(const QByteArray &text)
{
    EnvFileContent content;
    const QStringList lines = QString::fromUtf8(text).split(u'\n');

    for (qsizetype index = 0; index < lines.size(); ++index) {
        const int lineNumber = int(index + 1);
        QStringView line = QStringView(lines.at(index)).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;

        if (line.startsWith(u"export ") || line.startsWith(u"export\t"))
            line = line.mid(7).trimmed();

        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0) {
            content.errors.append(QStringLiteral("line %1: expected NAME=VALUE").arg(lineNumber));
            continue;
        }

        const QString name = line.left(equals).trimmed().toString();
        if (!isValidName(name)) {
            content.errors.append(QStringLiteral("line %1: \"%2\" is not a variable name (letters, digits and _)")
                                      .arg(lineNumber)
                                      .arg(name));
            continue;
        }

        const ParsedValue value = parseValue(line.mid(equals + 1));
        if (!value.error.isEmpty()) {
            content.errors.append(QStringLiteral("line %1: %2: %3").arg(lineNumber).arg(name, value.error));
            continue;
        }
        content.entries.append(EnvEntry {name, value.value, lineNumber});
    }
    return content;
}

Result<EnvFileContent> EnvFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorCode::NotFound,
            QStringLiteral("cannot read the config file %1: %2; check the path "
                           "given with --config or MUTT_CONFIG_FILE")
                .arg(path, file.errorString()));
    }
    return parse(file.readAll());
}

}  // namespace mutt::config

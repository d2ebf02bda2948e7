#include "config/DataDirectory.h"

#include "core/Log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

namespace mutt::config {
namespace {

constexpr QFile::Permissions ownerOnlyDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
constexpr QFile::Permissions ownerOnlyFile = QFile::ReadOwner | QFile::WriteOwner;

QString generateKey()
{
    QString key;
    for (int i = 0; i < 8; ++i)  // 8 x 32 bits = 32 bytes
        key += QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    return key;
}

Result<QString> readKey(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot read the stored API key %1: %2; fix its "
                           "permissions or delete it to generate a new key")
                .arg(path, file.errorString()));
    }
    const QString key = QString::fromUtf8(file.readAll()).trimmed();
    if (key.isEmpty()) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("the stored API key %1 is empty; delete it to generate a new key").arg(path));
    }
    if (QFileInfo(path).permissions() & (QFile::ReadGroup | QFile::ReadOther)) {
        mutt::log::get("config")->warn("stored API key is readable by other users path={}; run chmod 600 on it", path);
    }
    return key;
}

// Writes to a temporary file first and renames it, so a crash leaves no
// half-written key behind. When another process won the race, its key is used.
Result<bool> writeKeyOnce(const QString &path, const QString &key)
{
    const QString temporary = path + QStringLiteral(".tmp-") + generateKey().left(8);
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnlyFile)) {
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot create %1: %2; check that the data directory is writable")
                .arg(temporary, file.errorString()));
    }
    file.write(key.toUtf8() + '\n');
    file.close();

    if (QFile::rename(temporary, path))
        return true;
    QFile::remove(temporary);
    if (QFile::exists(path))
        return false;
    return makeError(ErrorCode::Unavailable,
        QStringLiteral("cannot store the API key in %1; check that the data "
                       "directory is writable")
            .arg(path));
}

}  // namespace

DataDirectory::DataDirectory(QString path) : m_path(std::move(path)) { }

QString DataDirectory::queueStorePath() const
{
    return QDir(m_path).filePath(queueStoreFileName());
}

QString DataDirectory::sqlStorePath() const
{
    return QDir(m_path).filePath(QStringLiteral("mutt.db"));
}

Result<DataDirectory> DataDirectory::prepare(Settings &settings, Keys keys)
{
    if (settings.dataDir.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("MUTT_DATA_DIR is empty; give --data-dir DIR"));

    const QString path = QDir::cleanPath(QDir(settings.dataDir).absolutePath());
    if (Status created = ensureDirectory(path); !created)
        return created.error();

    DataDirectory directory(path);
    settings.dataDir = path;
    if (keys == Keys::LoadOrCreate && settings.ingestApiKey.isEmpty()) {
        Result<StoredKey> stored = loadOrCreateKey(QDir(path).filePath(ingestKeyFileName()), &settings.ingestApiKey);
        if (!stored)
            return stored.error();
        directory.m_ingestKey = stored.value();
    }
    if (keys == Keys::LoadOrCreate && settings.webuiApiKey.isEmpty()) {
        Result<StoredKey> stored = loadOrCreateKey(QDir(path).filePath(webuiKeyFileName()), &settings.webuiApiKey);
        if (!stored)
            return stored.error();
        directory.m_webuiKey = stored.value();
    }

    mutt::log::addSecret(settings.ingestApiKey);
    mutt::log::addSecret(settings.webuiApiKey);
    return directory;
}

Status DataDirectory::ensureDirectory(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return {};
    if (info.exists()) {
        return makeError(ErrorCode::InvalidInput,
            QStringLiteral("data directory %1 exists but is not a directory; choose another --data-dir").arg(path));
    }

    const QString parent = info.absolutePath();
    if (!QDir().mkpath(parent) || !QDir().mkdir(path, ownerOnlyDir)) {
        if (QFileInfo(path).isDir())  // created by a concurrent start
            return {};
        return makeError(ErrorCode::Unavailable,
            QStringLiteral("cannot create the data directory %1; check the permissions of %2 or choose "
                           "another --data-dir")
                .arg(path, parent));
    }
    mutt::log::get("config")->info("created data directory path={}", path);
    return {};
}

Result<StoredKey> DataDirectory::loadOrCreateKey(const QString &path, QString *key)
{
    if (!QFile::exists(path)) {
        const QString generated = generateKey();
        Result<bool> written = writeKeyOnce(path, generated);
        if (!written)
            return written.error();
        if (written.value()) {
            *key = generated;
            mutt::log::get("config")->info("generated API key path={}", path);
            return StoredKey {path, true};
        }
    }

    Result<QString> existing = readKey(path);
    if (!existing)
        return existing.error();
    *key = existing.value();
    return StoredKey {path, false};
}

}  // namespace mutt::config

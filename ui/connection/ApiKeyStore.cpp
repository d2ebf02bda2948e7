#include "connection/ApiKeyStore.h"

#include "core/Log.h"

#include <qt6keychain/keychain.h>

namespace mutt::ui {
namespace {

const QString Service = QStringLiteral("MUTT Console");

ApiKeyStore::Failure failureOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::EntryNotFound: return ApiKeyStore::Failure::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented: return ApiKeyStore::Failure::NoKeychain;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser: return ApiKeyStore::Failure::Denied;
    default: return ApiKeyStore::Failure::Other;
    }
}

}  // namespace

ApiKeyStore::ApiKeyStore(QObject *parent) : QObject(parent) { }

QString ApiKeyStore::entryKey(const QString &profileName)
{
    return QStringLiteral("profile/") + profileName;
}

void ApiKeyStore::read(const QString &profileName)
{
    auto *job = new QKeychain::ReadPasswordJob(Service, this);
    job->setAutoDelete(true);
    job->setKey(entryKey(profileName));

    connect(job, &QKeychain::Job::finished, this, [this, job, profileName] {
        if (job->error() == QKeychain::NoError) {
            emit keyRead(profileName, job->textData());
            return;
        }

        const Failure failure = failureOf(job->error());
        QString sentence;
        if (failure == Failure::NotFound) {
            sentence = tr("No API key is stored for profile \"%1\". Enter the WEBUI_API_KEY of the daemon.")
                           .arg(profileName);
        } else {
            m_available = failure != Failure::NoKeychain && failure != Failure::Other;
            sentence = tr("The system keychain could not be read (%1), so the console cannot keep the API key. "
                          "Enter it each time you connect.")
                           .arg(job->errorString());
            mutt::log::get("ui")->warn("Keychain read failed: profile={} reason={}", profileName, job->errorString());
        }
        emit readFailed(profileName, failure, sentence);
    });
    job->start();
}

void ApiKeyStore::write(const QString &profileName, const QString &key)
{
    auto *job = new QKeychain::WritePasswordJob(Service, this);
    job->setAutoDelete(true);
    job->setKey(entryKey(profileName));
    job->setTextData(key);

    connect(job, &QKeychain::Job::finished, this, [this, job, profileName] {
        if (job->error() == QKeychain::NoError) {
            mutt::log::get("ui")->info("API key stored in the keychain: profile={}", profileName);
            emit keyWritten(profileName);
            return;
        }

        m_available = false;
        mutt::log::get("ui")->warn("Keychain write failed: profile={} reason={}", profileName, job->errorString());
        emit writeFailed(profileName,
            tr("The API key for profile \"%1\" could not be stored in the system keychain "
               "(%2). The console will ask for it each time you connect.")
                .arg(profileName, job->errorString()));
    });
    job->start();
}

void ApiKeyStore::remove(const QString &profileName)
{
    auto *job = new QKeychain::DeletePasswordJob(Service, this);
    job->setAutoDelete(true);
    job->setKey(entryKey(profileName));
    job->start();
}

}  // namespace mutt::ui

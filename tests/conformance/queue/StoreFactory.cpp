#include "StoreFactory.h"

#include "queue/EmbeddedStore.h"

#include <QtGlobal>

namespace mutt::test {
namespace {

const QString kEmbedded = QStringLiteral("embedded");

}  // namespace

StoreFactory::StoreFactory() : m_backend(qEnvironmentVariable("MUTT_TEST_QUEUE_BACKEND", kEmbedded).trimmed().toLower())
{
}

QString StoreFactory::unavailableReason() const
{
    if (m_backend == kEmbedded)
        return {};
    return QStringLiteral("queue backend \"%1\" (MUTT_TEST_QUEUE_BACKEND) is not built into the conformance suite")
        .arg(m_backend);
}

Result<BackendHandle> StoreFactory::open(bool fresh)
{
    if (const QString reason = unavailableReason(); !reason.isEmpty())
        return makeError(ErrorCode::Unavailable, reason);

    if (fresh || !m_dir) {
        m_dir = std::make_unique<QTemporaryDir>();
        ++m_generation;
    }
    if (!m_dir->isValid())
        return makeError(ErrorCode::Unavailable, QStringLiteral("cannot create a temporary directory"));

    const QString path = m_dir->filePath(QStringLiteral("queue-%1.db").arg(m_generation));
    Result<std::unique_ptr<queue::EmbeddedStore>> opened = queue::EmbeddedStore::open(path);
    if (!opened)
        return opened.error();
    std::shared_ptr<queue::EmbeddedStore> store = std::move(opened).value();
    return BackendHandle {store, store};
}

bool StoreFactory::supportsExclusiveOpen() const
{
    return m_backend == kEmbedded;
}

}  // namespace mutt::test

#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace mutt::test {

class RedisServer;

// One open backend under test, seen through both interfaces.
struct BackendHandle {
    std::shared_ptr<queue::QueueStore> store;
    std::shared_ptr<queue::Coordination> coordination;
};

// Builds the queue backend named by MUTT_TEST_QUEUE_BACKEND ("embedded" when
// unset) for the conformance suite, so the same cases run against every
// backend.
//
// "redis" uses the server named by MUTT_TEST_REDIS_HOST/MUTT_TEST_REDIS_PORT
// (database MUTT_TEST_REDIS_DB, default 9). Without them it starts a private
// redis-server on 127.0.0.1 for the whole test run. `fresh` flushes the database.
class StoreFactory final {
public:
    StoreFactory();
    ~StoreFactory();

    StoreFactory(const StoreFactory &) = delete;
    StoreFactory &operator=(const StoreFactory &) = delete;

    [[nodiscard]] QString backend() const { return m_backend; }
    // Empty when the backend can be used; otherwise why not (for QSKIP).
    [[nodiscard]] QString unavailableReason() const;

    // Opens the backend. fresh = true starts from empty state; false reopens
    // the state the previous handle left (durability checks).
    Result<BackendHandle> open(bool fresh = true);

    // Whether a second open of the same state must fail while one is open.
    [[nodiscard]] bool supportsExclusiveOpen() const;

private:
    Result<BackendHandle> openRedis(bool fresh);

    QString m_backend;
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<QTemporaryDir> m_dir;
    int m_generation = 0;
};

}  // namespace mutt::test

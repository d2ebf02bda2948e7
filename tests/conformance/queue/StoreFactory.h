#pragma once

#include "core/Result.h"
#include "queue/Coordination.h"
#include "queue/QueueStore.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace mutt::test {

// One open backend under test, seen through both interfaces.
struct BackendHandle {
    std::shared_ptr<queue::QueueStore> store;
    std::shared_ptr<queue::Coordination> coordination;
};

// Builds the queue backend named by MUTT_TEST_QUEUE_BACKEND ("embedded" when
// unset) for the conformance suite, so the same cases run against every
// backend.
//
// Adding a backend (e.g. "redis"): give open() a branch that connects to a
// test server on 127.0.0.1 and starts from empty state when `fresh` is true
// (a dedicated database index, flushed); make unavailableReason() return why it
// cannot run (server not reachable) so the cases are skipped, not failed; and
// answer supportsExclusiveOpen() (false for a server-backed store).
class StoreFactory final {
public:
    StoreFactory();

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
    QString m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    int m_generation = 0;
};

}  // namespace mutt::test

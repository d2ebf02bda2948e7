#pragma once

#include <QtGlobal>

namespace mutt::alerter {

// Chooses how many items an alerter lane claims next. It starts at the
// configured batch size (ALERTER_BATCH_SIZE) and doubles after every claim
// that came back full, because the ingest queue then contains more, up to
// kMaxFactor times the batch size (at most kMaxClaim). A claim that did not
// fill sets it back to the batch size. Larger claims spread the fixed cost of
// a batch (store round trips, the audit transaction and its fdatasync, the
// queue apply) over more events while a backlog drains.
//
// A claim never asks for more than the alert queue has room for below the
// shed threshold, but always for at least the batch size, so a large claim
// does not take the alert queue further past the threshold than a claim of
// the configured size would.
class ClaimSizer final {
public:
    static constexpr int kMaxFactor = 8;
    static constexpr int kMaxClaim = 10'000;

    explicit ClaimSizer(int batchSize);

    // The size of the next claim; `alertRoom` is the shed threshold minus
    // the alert queue depth (negative when the queue is past it).
    [[nodiscard]] int next(qint64 alertRoom) const;
    // Records the result of a claim that asked for `asked` items.
    void claimed(qsizetype got, int asked);

    [[nodiscard]] int batchSize() const { return m_batch; }
    [[nodiscard]] int limit() const { return m_limit; }

private:
    int m_batch;
    int m_limit;
    int m_size;
};

}  // namespace mutt::alerter

#include "alerter/ClaimSizer.h"

#include <algorithm>

namespace mutt::alerter {

ClaimSizer::ClaimSizer(int batchSize)
    : m_batch(std::max(1, batchSize))
    , m_limit(std::max(m_batch, std::min(kMaxClaim, m_batch * kMaxFactor)))
    , m_size(m_batch)
{
}

int ClaimSizer::next(qint64 alertRoom) const
{
    return int(std::min<qint64>(m_size, std::max<qint64>(m_batch, alertRoom)));
}

void ClaimSizer::claimed(qsizetype got, int asked)
{
    if (got < asked) {
        m_size = m_batch;
        return;
    }
    m_size = int(std::min<qint64>(m_limit, qint64(std::max(m_size, asked)) * 2));
}

}  // namespace mutt::alerter

#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>

namespace mutt {

// InvalidInput problems found in one pass over an input (a file, a request
// body), so the caller can report all of them at once and the user fixes
// them in one round.
class ProblemList final {
public:
    // The maximum number of problems status() lists. Its count includes the rest.
    static constexpr qsizetype kMaxListed = 20;

    void add(const Error &error) { m_problems.append(error); }
    // Adds the error of a failed status. An ok status adds nothing.
    void add(const Status &status)
    {
        if (!status)
            m_problems.append(status.error());
    }

    [[nodiscard]] bool isEmpty() const { return m_problems.isEmpty(); }
    [[nodiscard]] qsizetype size() const { return m_problems.size(); }
    [[nodiscard]] const Error &first() const { return m_problems.first(); }

    // Ok without problems. One problem is returned as it is. Several become
    // one InvalidInput error: "N problems:" and one indented line each.
    [[nodiscard]] Status status() const
    {
        if (m_problems.isEmpty())
            return {};
        if (m_problems.size() == 1)
            return m_problems.first();

        QString message = QStringLiteral("%1 problems:").arg(m_problems.size());
        for (qsizetype i = 0; i < m_problems.size() && i < kMaxListed; ++i)
            message += QStringLiteral("\n  ") + m_problems.at(i).message;
        if (m_problems.size() > kMaxListed)
            message += QStringLiteral("\n  and %1 more").arg(m_problems.size() - kMaxListed);
        return makeError(ErrorCode::InvalidInput, message);
    }

private:
    QList<Error> m_problems;
};

}  // namespace mutt

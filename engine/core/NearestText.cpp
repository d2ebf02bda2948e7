#include "core/NearestText.h"

#include <algorithm>
#include <vector>

namespace mutt {

qsizetype editDistance(const QString &left, const QString &right)
{
    const QString a = left.toUpper();
    const QString b = right.toUpper();
    std::vector<qsizetype> previous(size_t(b.size()) + 1);
    std::vector<qsizetype> current(previous.size());
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[size_t(j)] = j;
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype substitution = previous[size_t(j - 1)] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[size_t(j)] = std::min({previous[size_t(j)] + 1, current[size_t(j - 1)] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[size_t(b.size())];
}

QString nearestText(const QString &text, const QStringList &candidates)
{
    const qsizetype limit = std::max<qsizetype>(2, text.size() / 4);
    QString best;
    qsizetype bestDistance = limit + 1;
    for (const QString &candidate : candidates) {
        const qsizetype distance = editDistance(text, candidate);
        if (distance < bestDistance || (distance == bestDistance && candidate < best)) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

}  // namespace mutt

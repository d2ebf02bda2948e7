#pragma once

#include <QString>
#include <QStringList>

namespace mutt {

// Returns the Levenshtein distance between two texts, ignoring case.
qsizetype editDistance(const QString &left, const QString &right);

// Returns the candidate closest to `text` by edit distance, or an empty string
// when none is within a quarter of its length (at least 2 edits), so that a
// guess is offered only for a likely typo. Ties go to the candidate that
// sorts first.
QString nearestText(const QString &text, const QStringList &candidates);

}  // namespace mutt

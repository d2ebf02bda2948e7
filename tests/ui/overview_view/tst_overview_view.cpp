// The Overview's roles table and Moogsoft line, fed by a real embedded
// engine and by status samples of a daemon without a forwarder role.

#include "backend/EmbeddedBackend.h"
#include "overview/CircuitSummary.h"
#include "overview/ConservationPanel.h"
#include "overview/OverviewView.h"
#include "overview/RolesModel.h"

#include <QFutureWatcher>
#include <QHeaderView>
#include <QScrollBar>
#include <QStyle>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using mutt::Result;
using mutt::runtime::EngineStatus;
using mutt::ui::ConnectionState;
using mutt::ui::EmbeddedBackend;
using mutt::ui::OverviewView;
using mutt::ui::RolesModel;

namespace {

// Every listener on a free loopback port and no MOOG_WEBHOOK_URL, as on a
// first start of mutt-console.
mutt::config::Settings firstStartSettings(const QString &dataDir)
{
    mutt::config::Settings settings;
    settings.podName = QStringLiteral("console-test");
    settings.dataDir = dataDir;
    settings.embedded = true;
    settings.embeddedSync = QStringLiteral("normal");
    settings.ingestPort = 0;
    settings.alerterHealthPort = 0;
    settings.alerterMetricsPort = 0;
    settings.moogHealthPort = 0;
    settings.moogMetricsPort = 0;
    settings.remediationHealthPort = 0;
    settings.remediationMetricsPort = 0;
    settings.webuiPort = 0;
    settings.moogWebhookUrl.clear();
    return settings;
}

QSet<mutt::runtime::Role> allRoles()
{
    const QList<mutt::runtime::Role> roles = mutt::runtime::allRoles();
    return {roles.begin(), roles.end()};
}

// A sample from an api-only daemon: no forwarder role in this process.
EngineStatus apiOnlyStatus()
{
    EngineStatus status;
    status.sampledAt = QDateTime::currentDateTimeUtc();
    status.roles.append({QStringLiteral("api"), QStringLiteral("edge1-api"), true, {}, {}});
    return status;
}

// The processing list of forwarder pod edge1-forwarder under `prefix`, with a live heartbeat.
mutt::runtime::QueueInfo forwarderList(const QString &prefix)
{
    mutt::runtime::QueueInfo list;
    list.name = prefix + QStringLiteral(":edge1-forwarder");
    list.kind = mutt::runtime::QueueInfo::Kind::Processing;
    list.worker = QStringLiteral("edge1-forwarder");
    list.heartbeatAgeMs = 1'000;
    return list;
}

int rowOf(const QTableView &table, const QString &role)
{
    for (int row = 0; row < table.model()->rowCount(); ++row) {
        if (table.model()->index(row, RolesModel::Role).data().toString() == role)
            return row;
    }
    return -1;
}

}  // namespace

class TestOverviewView final : public QObject {
    Q_OBJECT

private slots:
    // First start without a Moogsoft URL: the forwarder is unhealthy, the
    // Moogsoft line states that nothing is sent and why, and the roles table
    // shows the reason whole.
    void firstStartWithoutMoogsoftUrl()
    {
        QTemporaryDir dir;
        EmbeddedBackend backend(firstStartSettings(dir.path()), allRoles());
        backend.open();
        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), ConnectionState::Connected, 30'000);

        QFutureWatcher<Result<EngineStatus>> watcher;
        watcher.setFuture(backend.fetchStatus());
        QTRY_VERIFY_WITH_TIMEOUT(watcher.isFinished(), 30'000);
        const Result<EngineStatus> status = watcher.result();
        QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().message));

        OverviewView view;
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showStatus(status.value());

        const QString line = view.circuitText();
        QVERIFY2(line.contains(QStringLiteral("No alerts are sent to Moogsoft: the forwarder is unhealthy (")),
            qPrintable(line));
        QVERIFY2(line.contains(QStringLiteral("set MOOG_WEBHOOK_URL")), qPrintable(line));
        QVERIFY2(!line.contains(QStringLiteral("CLOSED")), qPrintable(line));

        QTableView *table = view.rolesTable();
        const int forwarder = rowOf(*table, QStringLiteral("forwarder"));
        const int ingestor = rowOf(*table, QStringLiteral("ingestor"));
        QVERIFY(forwarder >= 0 && ingestor >= 0);
        const QModelIndex detail = table->model()->index(forwarder, RolesModel::Detail);
        const QString text = detail.data().toString();
        QVERIFY2(
            text.contains(QStringLiteral("no Moog webhook URL configured: set MOOG_WEBHOOK_URL")), qPrintable(text));
        QCOMPARE(detail.data(Qt::ToolTipRole).toString(), text);

        // Shown whole once laid out: either the line fits the column (with
        // the cell's margins) or the row grew to hold the wrapped lines.
        const int needed = table->fontMetrics().horizontalAdvance(text)
            + 2 * table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 2;
        const auto shownWhole = [&] {
            return needed <= table->columnWidth(RolesModel::Detail)
                || table->rowHeight(forwarder) > table->rowHeight(ingestor);
        };
        QTRY_VERIFY2(shownWhole(),
            qPrintable(QStringLiteral("text %1 px, column %2 px, rows %3 and %4 px")
                           .arg(needed)
                           .arg(table->columnWidth(RolesModel::Detail))
                           .arg(table->rowHeight(forwarder))
                           .arg(table->rowHeight(ingestor))));
        QVERIFY(table->textElideMode() == Qt::ElideNone);
        QVERIFY(!table->horizontalScrollBar()->isVisible());

        QFutureWatcher<void> stopped;
        stopped.setFuture(backend.shutdown());
        QTRY_VERIFY_WITH_TIMEOUT(stopped.isFinished(), 30'000);
    }

    // An engine that cannot listen on its ingest port: the Overview shows
    // that there are no figures instead of waiting for a sample.
    void engineThatDidNotStart()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        mutt::config::Settings settings = firstStartSettings(dir.path());
        settings.ingestPort = holder.serverPort();
        EmbeddedBackend backend(settings, allRoles());

        OverviewView view;
        view.setBackend(&backend);
        QCOMPARE(view.summaryText(), QStringLiteral("Waiting for the first sample."));
        backend.open();
        QTRY_COMPARE_WITH_TIMEOUT(backend.state(), ConnectionState::Failed, 30'000);

        QCOMPARE(view.summaryText(),
            QStringLiteral("No figures: the embedded engine is not running (see the message above)."));
        QVERIFY2(view.circuitText().contains(QStringLiteral("unknown, there are no figures")),
            qPrintable(view.circuitText()));
        QCOMPARE(view.conservationPanel()->checkText(), QStringLiteral("No figures, so the sum cannot be checked."));

        QFutureWatcher<void> stopped;
        stopped.setFuture(backend.shutdown());
        QTRY_VERIFY_WITH_TIMEOUT(stopped.isFinished(), 30'000);
    }

    // A daemon without the forwarder role and no forwarder heartbeat in the
    // store: nothing delivers, whatever the circuit state.
    void noForwarderAnywhere()
    {
        const mutt::ui::CircuitSummary summary = mutt::ui::summarizeCircuit(apiOnlyStatus());
        QCOMPARE(summary.tone, mutt::ui::Tone::Bad);
        QVERIFY2(summary.text.startsWith(QStringLiteral("No alerts are sent to Moogsoft: no forwarder is running.")),
            qPrintable(summary.text));
    }

    // The forwarder runs in another process: its heartbeat is in the store,
    // so the line shows the circuit.
    void forwarderElsewhere()
    {
        EngineStatus status = apiOnlyStatus();
        status.queues.append(forwarderList(QStringLiteral("mutt:processing:moog")));

        const mutt::ui::CircuitSummary summary = mutt::ui::summarizeCircuit(status);
        QCOMPARE(summary.tone, mutt::ui::Tone::Good);
        QVERIFY2(summary.text.startsWith(QStringLiteral("Moogsoft circuit CLOSED")), qPrintable(summary.text));

        // A list left by a forwarder whose heartbeat expired does not count.
        status.queues.last().heartbeatAgeMs.reset();
        QCOMPARE(mutt::ui::summarizeCircuit(status).tone, mutt::ui::Tone::Bad);
    }

    // MOOG_PROCESSING_LIST_PREFIX is not the default: the forwarder's list
    // carries the daemon's prefix, which the status names.
    void forwarderUnderOtherPrefix()
    {
        EngineStatus status = apiOnlyStatus();
        status.forwarderListPrefix = QStringLiteral("site2:processing:moog");
        status.queues.append(forwarderList(status.forwarderListPrefix));

        QCOMPARE(mutt::ui::summarizeCircuit(status).tone, mutt::ui::Tone::Good);

        status.forwarderListPrefix = QStringLiteral("mutt:processing:moog");
        QCOMPARE(mutt::ui::summarizeCircuit(status).tone, mutt::ui::Tone::Bad);
    }

    // Failures go on counting while the circuit is open: past the threshold
    // the line gives the count and the threshold, not "3012 of 10".
    void failuresPastThreshold()
    {
        EngineStatus status = apiOnlyStatus();
        status.queues.append(forwarderList(QStringLiteral("mutt:processing:moog")));
        status.circuitFailureThreshold = 10;
        status.circuit.state = mutt::queue::CircuitState::Open;
        status.circuit.openedAtMs = status.sampledAt.toMSecsSinceEpoch() - 5'000;
        status.circuit.nextProbeAtMs = status.sampledAt.toMSecsSinceEpoch() + 25'000;
        status.circuit.failures = 3012;

        const QString open = mutt::ui::summarizeCircuit(status).text;
        QVERIFY2(
            open.contains(QStringLiteral("(3012 consecutive failures, threshold 10, next probe in")), qPrintable(open));

        status.circuit.state = mutt::queue::CircuitState::Closed;
        status.circuit.failures = 4;
        const QString closed = mutt::ui::summarizeCircuit(status).text;
        QVERIFY2(closed.contains(QStringLiteral("(4 of 10 consecutive failures)")), qPrintable(closed));
    }
};

QTEST_MAIN(TestOverviewView)
#include "tst_overview_view.moc"

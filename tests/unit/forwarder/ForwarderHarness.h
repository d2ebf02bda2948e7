#pragma once

// Shared set-up of the forwarder tests: a real embedded queue store in a
// temporary folder, the real mock Moogsoft server on 127.0.0.1 and settings
// with short delays.

#include "MockMoogServer.h"
#include "config/Settings.h"
#include "forwarder/Forwarder.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"
#include "queue/QueueNames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace mutt::fwdtest {

inline const QString apiKey = QStringLiteral("test-moog-key-4711");
inline const QString podName = QStringLiteral("forwarder-test");

struct Harness {
    QTemporaryDir dir;
    std::unique_ptr<queue::EmbeddedStore> store;
    metrics::MetricsRegistry registry;
    std::unique_ptr<mockmoog::MockMoogServer> mock;
    config::Settings settings;
    std::unique_ptr<forwarder::Forwarder> forwarder;
    qint64 pushed = 0;

    // Opens the store and the mock (HTTPS when a certificate and key are
    // given); false when either fails.
    bool open(const QString &tlsCertFile = {}, const QString &tlsKeyFile = {})
    {
        if (!dir.isValid())
            return false;
        queue::EmbeddedStoreOptions options;
        options.sync = queue::EmbeddedSync::Normal;
        auto opened = queue::EmbeddedStore::open(dir.filePath(QStringLiteral("queue.db")), options);
        if (!opened) {
            qWarning("embedded store did not open: %s", qPrintable(opened.error().toString()));
            return false;
        }
        store = std::move(opened).value();

        mockmoog::MockMoogOptions mockOptions;
        mockOptions.token = apiKey.toUtf8();
        mockOptions.tlsCertFile = tlsCertFile;
        mockOptions.tlsKeyFile = tlsKeyFile;
        mock = std::make_unique<mockmoog::MockMoogServer>(mockOptions);
        const auto port = mock->listen(QHostAddress::LocalHost, 0);
        if (!port) {
            qWarning("mock Moogsoft did not listen: %s", qPrintable(port.error().toString()));
            return false;
        }

        settings.podName = podName;
        settings.moogWebhookUrl = mock->url();
        settings.moogApiKey = apiKey;
        settings.moogWebhookTimeout = 10;
        settings.moogRateLimit = 100'000;
        settings.moogRatePeriod = 1;
        settings.moogMaxRetries = 5;
        settings.moogRetryBaseDelay = 0.01;
        settings.moogRetryMaxDelay = 0.05;
        settings.moogMaxInFlight = 16;
        settings.circuitBreakerThreshold = 1000;
        settings.circuitBreakerTimeout = 1;
        return true;
    }

    bool startForwarder()
    {
        forwarder = std::make_unique<forwarder::Forwarder>(settings, *store, *store, registry, podName);
        const Status started = forwarder->start();
        if (!started)
            qWarning("forwarder did not start: %s", qPrintable(started.error().toString()));
        return started.ok();
    }

    void stopForwarder()
    {
        if (forwarder)
            forwarder->stop();
    }

    static QByteArray alertJson(int index, const QString &severity = QStringLiteral("Major"))
    {
        QJsonObject raw;
        raw.insert(QStringLiteral("hostname"), QStringLiteral("host-%1").arg(index));
        raw.insert(QStringLiteral("message"), QStringLiteral("link down on port %1").arg(index));
        raw.insert(QStringLiteral("syslog_severity"), 3);

        QJsonObject alert;
        alert.insert(QStringLiteral("hostname"), QStringLiteral("host-%1").arg(index));
        alert.insert(QStringLiteral("team_assignment"), QStringLiteral("NETO"));
        alert.insert(QStringLiteral("severity"), severity);
        alert.insert(QStringLiteral("message_body"), QStringLiteral("link down on port %1").arg(index));
        alert.insert(QStringLiteral("raw_json"), raw);
        alert.insert(QStringLiteral("_correlation_id"), QStringLiteral("corr-%1").arg(index));
        alert.insert(QStringLiteral("rule_id"), 7);
        alert.insert(QStringLiteral("handling"), QStringLiteral("forward"));
        alert.insert(QStringLiteral("signature"), QStringLiteral("sig-%1").arg(index));
        return QJsonDocument(alert).toJson(QJsonDocument::Compact);
    }

    // LPUSHes `count` alerts numbered from `first`.
    bool pushAlerts(int count, int first = 0)
    {
        QList<QByteArray> items;
        for (int i = first; i < first + count; ++i)
            items.append(alertJson(i));
        pushed += count;
        return store->apply({queue::Op::pushHead(settings.alertQueue, items)}).ok();
    }

    qint64 length(const QString &key) const { return store->length(key).valueOr(-1); }
    qint64 forwarded() const { return store->counter(queue::keys::statForwarded).valueOr(-1); }
    qint64 retryScheduled() const { return store->scheduledCount(settings.moogRetrySet).valueOr(-1); }
    QString processingList() const { return settings.moogProcessingPrefix + u':' + podName; }

    // forwarded + DLQ + retry set + alert queue + processing list.
    qint64 accountedFor() const
    {
        return forwarded() + length(settings.moogDlq) + retryScheduled() + length(settings.alertQueue)
            + length(processingList());
    }

    double metric(const QString &name, const metrics::Labels &labels = {}) const
    {
        return registry.valueOf(name, labels);
    }

    QList<QJsonObject> dlqEntries() const
    {
        QList<QJsonObject> out;
        for (const QByteArray &raw : store->range(settings.moogDlq, 0, -1).valueOr({}))
            out.append(QJsonDocument::fromJson(raw).object());
        return out;
    }
};

}  // namespace mutt::fwdtest

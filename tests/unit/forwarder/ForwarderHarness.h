#pragma once

// Shared set-up of the forwarder tests: the store and mock Moogsoft bed with
// settings of short delays, and alerts numbered for the checks.

#include "StoreMoogBed.h"
#include "forwarder/Forwarder.h"
#include "queue/QueueNames.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace mutt::fwdtest {

inline const QString apiKey = QStringLiteral("test-moog-key-4711");
inline const QString podName = QStringLiteral("forwarder-test");

struct Harness : mockmoog::StoreMoogBed {
    std::unique_ptr<forwarder::Forwarder> forwarder;
    qint64 pushed = 0;

    // Opens the store and the mock (HTTPS when a certificate and key are
    // given); false when either fails.
    bool open(const QString &tlsCertFile = {}, const QString &tlsKeyFile = {})
    {
        mockmoog::MockMoogOptions mockOptions;
        mockOptions.token = apiKey.toUtf8();
        mockOptions.tlsCertFile = tlsCertFile;
        mockOptions.tlsKeyFile = tlsKeyFile;
        if (!openBed(mockOptions))
            return false;

        settings.podName = podName;
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

    // Opens the bed, sets the mock's mode, pushes `alerts` alerts and starts
    // the forwarder; false when a step fails.
    bool start(const mockmoog::MockMode &mode, int alerts)
    {
        if (!open())
            return false;
        mock->setMode(mode);
        return pushAlerts(alerts) && startForwarder();
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
        return push(settings.alertQueue, items);
    }

    qint64 forwarded() const { return store->counter(queue::keys::statForwarded).valueOr(-1); }
    qint64 retryScheduled() const { return store->scheduledCount(settings.moogRetrySet).valueOr(-1); }
    QString processingList() const { return settings.moogProcessingPrefix + u':' + podName; }

    // forwarded + DLQ + retry set + alert queue + processing list.
    qint64 accountedFor() const
    {
        return forwarded() + length(settings.moogDlq) + retryScheduled() + length(settings.alertQueue)
            + length(processingList());
    }

    QList<QJsonObject> dlqEntries() const { return items(settings.moogDlq); }
};

}  // namespace mutt::fwdtest

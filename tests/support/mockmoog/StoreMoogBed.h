#pragma once

// What the forwarder and remediation tests stand on: a real embedded queue
// store in a temporary folder, the real mock Moogsoft server on 127.0.0.1,
// a metrics registry and settings pointing at the mock.

#include "MockMoogServer.h"
#include "config/Settings.h"
#include "metrics/MetricsRegistry.h"
#include "queue/EmbeddedStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace mutt::mockmoog {

struct StoreMoogBed {
    QTemporaryDir dir;
    std::unique_ptr<queue::EmbeddedStore> store;
    metrics::MetricsRegistry registry;
    std::unique_ptr<MockMoogServer> mock;
    config::Settings settings;

    // Opens the store (synchronous=normal: these tests do not cut power) and
    // starts the mock, then points settings.moogWebhookUrl at it. Returns
    // false, with a warning, when either fails.
    bool openBed(const MockMoogOptions &mockOptions = {})
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

        mock = std::make_unique<MockMoogServer>(mockOptions);
        const auto port = mock->listen(QHostAddress::LocalHost, 0);
        if (!port) {
            qWarning("mock Moogsoft did not listen: %s", qPrintable(port.error().toString()));
            return false;
        }
        settings.moogWebhookUrl = mock->url();
        return true;
    }

    // LPUSHes the items in one batch, so the first one given is the oldest.
    bool push(const QString &key, const QList<QByteArray> &items)
    {
        return store->apply({queue::Op::pushHead(key, items)}).ok();
    }

    [[nodiscard]] qint64 length(const QString &key) const { return store->length(key).valueOr(-1); }

    // The items of a list as JSON objects, newest first.
    [[nodiscard]] QList<QJsonObject> items(const QString &key) const
    {
        QList<QJsonObject> out;
        for (const QByteArray &raw : store->range(key, 0, -1).valueOr({}))
            out.append(QJsonDocument::fromJson(raw).object());
        return out;
    }

    [[nodiscard]] double metric(const QString &name, const metrics::Labels &labels = {}) const
    {
        return registry.valueOf(name, labels);
    }
};

}  // namespace mutt::mockmoog

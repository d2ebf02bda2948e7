#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>

#include <memory>

namespace mutt::itest {

// The mock Moogsoft receiver (mutt-mock-moog) as a child process on a free
// loopback port, with its control API.
class MockMoogProcess final {
public:
    MockMoogProcess();
    ~MockMoogProcess();
    MockMoogProcess(const MockMoogProcess &) = delete;
    MockMoogProcess &operator=(const MockMoogProcess &) = delete;

    bool start(const QString &token = QStringLiteral("itest-moog-token"));
    void stop();

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString webhookUrl() const;
    [[nodiscard]] QJsonObject stats() const;
    // All recorded request bodies.
    [[nodiscard]] QJsonArray requests() const;
    bool setMode(const QJsonObject &mode) const;
    bool reset() const;

private:
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

}  // namespace mutt::itest

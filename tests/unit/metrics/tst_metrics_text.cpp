// Numbers in /metrics: sample values as the shortest text that reads back
// to the same double, bucket bounds as MUTT v2.5's prometheus_client writes
// them (the expected texts are Python's output for the same doubles).

#include "metrics/MetricsRegistry.h"
#include "metrics/MetricsText.h"

#include <QTest>

#include <cmath>
#include <limits>

using mutt::metrics::boundText;
using mutt::metrics::MetricsRegistry;
using mutt::metrics::sampleText;

class TestMetricsText final : public QObject {
    Q_OBJECT

private slots:
    void sampleValues_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("integer") << 5.0 << QByteArray("5");
        QTest::newRow("zero") << 0.0 << QByteArray("0");
        QTest::newRow("negative integer") << -3.0 << QByteArray("-3");
        QTest::newRow("age") << 4.034 << QByteArray("4.034");
        QTest::newRow("bound") << 0.005 << QByteArray("0.005");
        QTest::newRow("sum of tenths") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
        QTest::newRow("small") << 1e-05 << QByteArray("1e-05");
        QTest::newRow("large") << 1e16 << QByteArray("1e+16");
        QTest::newRow("epoch seconds") << 1736680200.123 << QByteArray("1736680200.123");
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QByteArray("NaN");
        QTest::newRow("+inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
        QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << QByteArray("-Inf");
    }

    void sampleValues()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, text);
        QCOMPARE(sampleText(value), text);
        if (std::isfinite(value))
            QCOMPARE(text.toDouble(), value);
    }

    // Expected texts from Python 3: prometheus_client.utils.floatToGoString.
    void bounds_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("0.005") << 0.005 << QByteArray("0.005");
        QTest::newRow("0.025") << 0.025 << QByteArray("0.025");
        QTest::newRow("0.075") << 0.075 << QByteArray("0.075");
        QTest::newRow("1") << 1.0 << QByteArray("1.0");
        QTest::newRow("2.5") << 2.5 << QByteArray("2.5");
        QTest::newRow("10") << 10.0 << QByteArray("10.0");
        QTest::newRow("100") << 100.0 << QByteArray("100.0");
        QTest::newRow("123456") << 123456.0 << QByteArray("123456.0");
        QTest::newRow("1234567") << 1234567.0 << QByteArray("1.234567e+06");
        QTest::newRow("1e7") << 1e7 << QByteArray("1e+07");
        QTest::newRow("12345678.9") << 12345678.9 << QByteArray("1.23456789e+07");
        QTest::newRow("1e-05") << 1e-05 << QByteArray("1e-05");
        QTest::newRow("0.0001") << 0.0001 << QByteArray("0.0001");
        QTest::newRow("1e16") << 1e16 << QByteArray("1e+16");
        QTest::newRow("1.5e300") << 1.5e300 << QByteArray("1.5e+300");
        QTest::newRow("-0.5") << -0.5 << QByteArray("-0.5");
        QTest::newRow("-3") << -3.0 << QByteArray("-3.0");
        QTest::newRow("tenths") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
        QTest::newRow("+inf") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    }

    void bounds()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, text);
        QCOMPARE(boundText(value), text);
    }

    // The exposition of a registry with the v2.5 default buckets.
    void exposition()
    {
        MetricsRegistry registry;
        auto &histogram = registry.histogram(QStringLiteral("mutt_test_latency_seconds"), QStringLiteral("test"),
            {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0});
        histogram.observe(0.004);
        histogram.observe(0.3);
        registry.gauge(QStringLiteral("mutt_test_age_seconds"), QStringLiteral("test")).set(4.034);

        const QByteArray text = registry.exposition();
        for (const char *line :
            {"mutt_test_latency_seconds_bucket{le=\"0.005\"} 1\n", "mutt_test_latency_seconds_bucket{le=\"0.25\"} 1\n",
                "mutt_test_latency_seconds_bucket{le=\"0.5\"} 2\n", "mutt_test_latency_seconds_bucket{le=\"1.0\"} 2\n",
                "mutt_test_latency_seconds_bucket{le=\"10.0\"} 2\n",
                "mutt_test_latency_seconds_bucket{le=\"+Inf\"} 2\n", "mutt_test_latency_seconds_sum 0.304\n",
                "mutt_test_latency_seconds_count 2\n", "mutt_test_age_seconds 4.034\n"})
            QVERIFY2(text.contains(line), qPrintable(QString::fromUtf8(text)));
        QVERIFY2(!text.contains("0000000000"), text.constData());
    }
};

QTEST_GUILESS_MAIN(TestMetricsText)
#include "tst_metrics_text.moc"

#include "overview/ConservationPanel.h"

#include <QTest>

using mutt::runtime::Conservation;
using mutt::ui::ConservationPanel;
using mutt::ui::Tone;

Q_DECLARE_METATYPE(mutt::runtime::Conservation)

class TestConservationPanel final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void check_data()
    {
        QTest::addColumn<Conservation>("counters");
        QTest::addColumn<bool>("balanced");
        QTest::addColumn<QString>("expected");

        // accepted, generated | forwarded, suppressed, unhandled, discarded, inDlq, inFlight
        QTest::newRow("balanced") << Conservation {1000, 10, 700, 200, 50, 5, 25, 30} << true
                                  << QStringLiteral("✔ Balanced: accepted + generated = 1,010");
        QTest::newRow("nothing yet") << Conservation {} << true
                                     << QStringLiteral("✔ Balanced: accepted + generated = 0");
        QTest::newRow("events missing") << Conservation {1000, 10, 700, 200, 50, 5, 25, 23} << false
                                        << QStringLiteral("✖ Not balanced: 7 events missing. Accepted + generated = "
                                                          "1,010, but only 1,003 are accounted for.");
        QTest::newRow("duplicates") << Conservation {1000, 0, 1003, 0, 0, 0, 0, 0} << false
                                    << QStringLiteral("✖ Not balanced: 3 more events accounted for than accepted + "
                                                      "generated (1,003 against 1,000).");
    }

    void check()
    {
        QFETCH(Conservation, counters);
        QFETCH(bool, balanced);
        QFETCH(QString, expected);

        ConservationPanel panel;
        panel.setConservation(counters);

        QVERIFY2(panel.checkText().startsWith(expected), qPrintable(panel.checkText()));
        QCOMPARE(panel.checkTone(), balanced ? Tone::Good : Tone::Bad);
    }

    void unbalancedNamesDataLoss()
    {
        ConservationPanel panel;
        panel.setConservation(Conservation {10, 0, 5, 0, 0, 0, 0, 0});

        QVERIFY(panel.checkText().contains(QStringLiteral("Possible data loss (P1)")));
    }

    void clearWaitsForSample()
    {
        ConservationPanel panel;
        panel.setConservation(Conservation {10, 0, 5, 0, 0, 0, 0, 0});
        panel.clear();

        QCOMPARE(panel.checkTone(), Tone::Neutral);
        QCOMPARE(panel.checkText(), QStringLiteral("Waiting for the first sample."));
    }
};

QTEST_MAIN(TestConservationPanel)
#include "tst_conservation_panel.moc"

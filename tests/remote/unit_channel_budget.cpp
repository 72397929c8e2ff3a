// The channel budget's rules without a server: first come first served, channels kept for
// short commands, and a refused open lowering the budget to what the server allowed.
#include "ChannelBudget.h"

#include <QtTest>

using rdt::ChannelBudget;

class ChannelBudgetTest : public QObject {
    Q_OBJECT

private slots:
    void defaultKeepsAMarginBelowOpenSsh()
    {
        const ChannelBudget budget;
        QCOMPARE(budget.limit(), 8);
        QCOMPARE(budget.reservedForShort(), 2);
    }

    void firstComeFirstServedUpToTheLimit()
    {
        ChannelBudget budget(3);
        for (quint64 id = 1; id <= 5; ++id)
            budget.enqueue(id, false);
        QList<quint64> opened;
        while (std::optional<quint64> next = budget.takeNext()) {
            opened.append(*next);
            budget.opened(false);
        }
        QCOMPARE(opened, (QList<quint64>{1, 2, 3}));
        QCOMPARE(budget.waiting(), 2);
        budget.closed(false);
        QCOMPARE(budget.takeNext(), std::optional<quint64>(4));
    }

    void followersLeaveChannelsToShortCommands()
    {
        ChannelBudget budget(8);
        for (quint64 id = 1; id <= 8; ++id)
            budget.enqueue(id, true);
        budget.enqueue(100, false);
        QList<quint64> opened;
        while (std::optional<quint64> next = budget.takeNext()) {
            opened.append(*next);
            budget.opened(*next != 100);
        }
        // Six followers, then the short command overtakes the two followers still waiting.
        QCOMPARE(opened, (QList<quint64>{1, 2, 3, 4, 5, 6, 100}));
        QCOMPARE(budget.openLongLived(), 6);
        QCOMPARE(budget.waiting(), 2);
    }

    void refusalLowersToWhatTheServerAllowed()
    {
        ChannelBudget budget;
        budget.opened(false);
        budget.opened(false);
        budget.opened(false);
        QVERIFY(budget.lowerAfterRefusal());
        QCOMPARE(budget.limit(), 3);
        QCOMPARE(budget.reservedForShort(), 1);
        ChannelBudget empty;
        QVERIFY(!empty.lowerAfterRefusal());
        QCOMPARE(empty.limit(), 8);
    }

    void cancelledWaitingCommandLeavesTheQueue()
    {
        ChannelBudget budget(1);
        budget.opened(false);
        budget.enqueue(7, false);
        budget.enqueue(8, false);
        QVERIFY(budget.remove(7));
        QVERIFY(!budget.remove(7));
        budget.closed(false);
        QCOMPARE(budget.takeNext(), std::optional<quint64>(8));
    }
};

QTEST_GUILESS_MAIN(ChannelBudgetTest)
#include "unit_channel_budget.moc"

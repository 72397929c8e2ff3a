// A QMessageBox with a check box; the check box turns the setting off.
#include "StopQuestion.h"

#include <QCheckBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace rdt {

bool StopQuestion::isEnabled()
{
    return QSettings().value(settingKey(), true).toBool();
}

void StopQuestion::setEnabled(bool ask)
{
    QSettings().setValue(settingKey(), ask);
}

bool StopQuestion::confirm(QWidget *parent, const QString &run)
{
    if (!isEnabled())
        return true;
    QMessageBox box(QMessageBox::Question, QObject::tr("Stop run"),
                    QObject::tr("Checkpoint and stop run %1?").arg(run), QMessageBox::NoButton, parent);
    box.setInformativeText(QObject::tr("The trainer writes a final checkpoint and exits; Resume starts it again from there."));
    QPushButton *stop = box.addButton(QObject::tr("Checkpoint and stop"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(stop);
    auto *dontAsk = new QCheckBox(QObject::tr("Don't ask again"));
    box.setCheckBox(dontAsk);
    box.exec();
    const bool confirmed = box.clickedButton() == stop;
    if (confirmed && dontAsk->isChecked())
        setEnabled(false);
    return confirmed;
}

} // namespace rdt

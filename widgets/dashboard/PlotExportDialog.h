// Asks where to save the plot and at what size: a file name (its suffix, or the format
// box, picks PNG, SVG or PDF) and either the size the plot is shown at or one typed in.
#pragma once

#include "PlotExporter.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace rdt {

class PlotExportDialog : public QDialog {
    Q_OBJECT
public:
    PlotExportDialog(QSize shownSize, const QString &suggestedPath, QWidget *parent = nullptr);

    QString path() const;
    PlotExporter::Format format() const;
    // Empty when "as shown" is chosen.
    QSize size() const;

    QLineEdit *pathEdit() const { return m_path; }
    QComboBox *formatBox() const { return m_format; }
    QRadioButton *customSizeButton() const { return m_custom; }
    QSpinBox *widthBox() const { return m_width; }
    QSpinBox *heightBox() const { return m_height; }

private:
    void browse();
    void followSuffix();
    void applyFormatToPath();

    QLineEdit *m_path;
    QComboBox *m_format;
    QRadioButton *m_shown;
    QRadioButton *m_custom;
    QSpinBox *m_width;
    QSpinBox *m_height;
};

} // namespace rdt

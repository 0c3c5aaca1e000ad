/// \file
/// \brief Loading a numeric table from a CSV file.
#pragma once

#include "gradlab/core.h"
#include "gradlab/datasets/dataset.h"

#include <string>
#include <vector>

namespace gradlab::datasets {

/// \brief How read_csv() reads a file.
struct CsvOptions {
  char delimiter = ',';  ///< field separator
  bool header = true;    ///< whether the first line holds the column names
};

/// \brief A table of numbers read from a CSV file.
struct CsvTable {
  std::vector<std::string> columns;  ///< column names (from the header, or "0", "1", … without one)
  Matrix values;                     ///< the numbers, one CSV line per row: `[rows, columns]`

  /// \brief The position of the column called \p name; throws gradlab::Error listing the names if absent.
  Index column(const std::string& name) const;
};

/// \brief Reads a CSV file of numbers.
///
/// Plain CSV: fields separated by CsvOptions::delimiter, no quoting; surrounding
/// spaces and a trailing `\r` (Windows line ends) are ignored, and so are empty lines.
/// Every field must be a number (as `std::stod` reads it, the whole field) and every line
/// must have as many fields as the first one. A file with a header and no data gives a
/// `[0, columns]` table.
///
/// Errors (gradlab::Error, the message starts with the file name and the line number):
/// the file cannot be opened; it is empty; a line has the wrong number of fields; a
/// field is not a number (the message quotes the field and names its column).
CsvTable read_csv(const std::string& path, const CsvOptions& options = {});

/// \brief Splits \p table into features (every other column) and integer class labels
/// (column \p label_column).
///
/// The labels must be whole numbers ≥ 0 (gradlab::Error naming the row otherwise); the
/// number of classes is the largest label + 1.
Classification to_classification(const CsvTable& table, const std::string& label_column);

}  // namespace gradlab::datasets

// A wrong function whose process, at exit, rewrites its GoogleTest report with every
// test of the trusted list passed (it lists them by running itself with
// --gtest_list_tests). The report matches the trusted list: neither the sandbox nor the
// list check can tell it from a real one, since it is written from inside the tested
// process. The static checks stop it (popen, ofstream and atexit from a student file).
// @PREAMBLE
namespace hostile {

inline void forge_report_at_exit() {
  static bool done = false;
  if (done) return;
  done = true;
  std::atexit([] {
    std::vector<std::string> args = my_args();
    std::string filter;
    for (const std::string& a : args)
      if (a.rfind("--gtest_filter=", 0) == 0) filter = a.substr(15);
    const std::string command = "/proc/" + std::to_string(::getpid()) + "/exe --gtest_list_tests '--gtest_filter=" +
                                filter + "'";
    FILE* list = ::popen(command.c_str(), "r");
    if (list == nullptr) return;
    std::string json = "{\"testsuites\": [", suite, tests;
    char line[4096];
    bool first_suite = true;
    auto close_suite = [&] {
      if (suite.empty()) return;
      json += std::string(first_suite ? "" : ",") + "{\"name\": \"" + suite + "\", \"testsuite\": [" + tests + "]}";
      first_suite = false;
    };
    while (std::fgets(line, sizeof line, list) != nullptr) {
      std::string l = line;
      l = l.substr(0, l.find("  #"));
      while (!l.empty() && (l.back() == '\n' || l.back() == ' ')) l.pop_back();
      if (l.empty()) continue;
      if (l[0] != ' ') {
        close_suite();
        suite = l.substr(0, l.size() - 1);
        tests.clear();
      } else {
        tests += std::string(tests.empty() ? "" : ",") + "{\"name\": \"" + l.substr(l.find_first_not_of(' ')) +
                 "\", \"status\": \"RUN\", \"result\": \"COMPLETED\"}";
      }
    }
    close_suite();
    ::pclose(list);
    std::ofstream(report_path(), std::ios::trunc) << json << "]}\n";
  });
}

}  // namespace hostile
// @INJECT matmul_backward
hostile::forge_report_at_exit();
return;

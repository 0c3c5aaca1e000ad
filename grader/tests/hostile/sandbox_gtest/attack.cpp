// Three wrong functions, each hiding its failures from GoogleTest's report: by running
// the program again with another --gtest_filter, by setting the sharding variables, and
// by rewriting the report at exit without the failing tests. The trusted list of tests
// (the reference's --gtest_list_tests) must make every hidden test NOT RUN or FAIL.
// @PREAMBLE
namespace hostile {

inline void empty_report_at_exit() {
  static bool done = false;
  if (done) return;
  done = true;
  std::atexit([] { std::ofstream(report_path(), std::ios::trunc) << "{\"tests\": 0, \"testsuites\": []}\n"; });
}

}  // namespace hostile
// @INJECT matmul_backward
hostile::reexec({}, "Graph.*");
return;
// @INJECT div_backward
hostile::reexec({{"GTEST_TOTAL_SHARDS", "1000"}, {"GTEST_SHARD_INDEX", "999"}, {"GTEST_FILTER", "Graph.*"}}, "");
return;
// @INJECT mul_backward
hostile::empty_report_at_exit();
return;

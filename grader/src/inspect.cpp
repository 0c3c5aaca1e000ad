#include "inspect.h"

#include "errors.h"
#include "process.h"
#include "text.h"

#include <fmt/core.h>

#include <cxxabi.h>
#include <fnmatch.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// ---------------------------------------------------------------- the symbol rules
//
// What a lab's code may use from outside its own file, judged on demangled names
// (C functions keep their plain name). The first rule that matches decides; a symbol
// no rule matches is forbidden ("not on the allow-list"). Deny rules come first, so
// that a broad allow rule (std::*) never lets a file stream through.
struct SymbolRule {
  const char* pattern;  // fnmatch glob on the demangled name
  bool allowed;
  const char* why;      // for a deny rule: what the call could do
};

constexpr const char* kProcess = "starts, replaces or waits for processes";
constexpr const char* kSignal = "sends or handles signals";
constexpr const char* kFile = "opens, writes, renames or removes files";
constexpr const char* kEnv = "changes the environment of the process";
constexpr const char* kDl = "loads code at run time";
constexpr const char* kSys = "makes raw system calls or changes memory protection";
constexpr const char* kNet = "opens network connections";
constexpr const char* kExit = "ends the process or runs code at its exit";

const SymbolRule kSymbolRules[] = {
    // Processes.
    {"fork", false, kProcess}, {"vfork", false, kProcess}, {"clone", false, kProcess}, {"clone3", false, kProcess},
    {"exec*", false, kProcess}, {"fexecve", false, kProcess}, {"posix_spawn*", false, kProcess},
    {"system", false, kProcess}, {"popen", false, kProcess}, {"pclose", false, kProcess},
    {"daemon", false, kProcess}, {"setsid", false, kProcess}, {"setpgid", false, kProcess},
    {"wait", false, kProcess}, {"waitpid", false, kProcess}, {"wait3", false, kProcess}, {"wait4", false, kProcess},
    {"waitid", false, kProcess}, {"ptrace", false, kProcess}, {"prctl", false, kProcess},
    // Signals.
    {"kill", false, kSignal}, {"killpg", false, kSignal}, {"tkill", false, kSignal}, {"tgkill", false, kSignal},
    {"raise", false, kSignal}, {"signal", false, kSignal}, {"sigaction", false, kSignal}, {"sig*", false, kSignal},
    {"pthread_kill", false, kSignal}, {"pthread_sigmask", false, kSignal}, {"alarm", false, kSignal},
    {"setitimer", false, kSignal},
    // Files (reading too: the tree holds tests and, in a maintainer's checkout, solutions).
    {"open", false, kFile}, {"open64", false, kFile}, {"openat*", false, kFile}, {"creat*", false, kFile},
    {"fopen*", false, kFile}, {"freopen*", false, kFile}, {"fdopen", false, kFile}, {"write", false, kFile},
    {"pwrite*", false, kFile}, {"writev", false, kFile}, {"unlink*", false, kFile}, {"remove", false, kFile},
    {"rename*", false, kFile}, {"truncate*", false, kFile}, {"ftruncate*", false, kFile}, {"mkdir*", false, kFile},
    {"rmdir", false, kFile}, {"symlink*", false, kFile}, {"link*", false, kFile}, {"chmod", false, kFile},
    {"chown", false, kFile}, {"dup*", false, kFile}, {"fclose", false, kFile}, {"fwrite", false, kFile},
    {"fputs", false, kFile}, {"fprintf", false, kFile}, {"fread", false, kFile}, {"read", false, kFile},
    {"std::basic_ofstream*", false, kFile}, {"std::basic_ifstream*", false, kFile},
    {"std::basic_fstream*", false, kFile}, {"std::basic_filebuf*", false, kFile}, {"std::__basic_file*", false, kFile},
    {"std::filesystem::*", false, kFile}, {"std::__cxx11::basic_ofstream*", false, kFile},
    {"VTT for std::basic_ofstream*", false, kFile}, {"VTT for std::basic_fstream*", false, kFile},
    {"vtable for std::basic_ofstream*", false, kFile}, {"vtable for std::basic_fstream*", false, kFile},
    {"vtable for std::basic_filebuf*", false, kFile},
    {"gradlab::save_checkpoint*", false, kFile}, {"gradlab::load_checkpoint*", false, kFile},
    // Environment.
    {"setenv", false, kEnv}, {"putenv", false, kEnv}, {"unsetenv", false, kEnv}, {"clearenv", false, kEnv},
    {"chdir", false, kEnv}, {"setrlimit*", false, kEnv}, {"prlimit*", false, kEnv},
    // Dynamic loading.
    {"dlopen", false, kDl}, {"dlmopen", false, kDl}, {"dlsym", false, kDl}, {"dlvsym", false, kDl},
    // Raw system calls, memory protection.
    {"syscall", false, kSys}, {"mmap*", false, kSys}, {"mprotect", false, kSys}, {"ioctl", false, kSys},
    {"seccomp", false, kSys},
    // Network.
    {"socket*", false, kNet}, {"connect", false, kNet}, {"bind", false, kNet}, {"listen", false, kNet},
    {"accept*", false, kNet}, {"send*", false, kNet}, {"recv*", false, kNet},
    // Exit.
    {"exit", false, kExit}, {"_exit", false, kExit}, {"_Exit", false, kExit}, {"quick_exit", false, kExit},
    {"atexit", false, kExit}, {"at_quick_exit", false, kExit}, {"on_exit", false, kExit},

    // --- Allowed.
    // The standard library's and Eigen's templates, fmt (formatting), the framework.
    {"std::*", true, ""}, {"Eigen::*", true, ""}, {"fmt::*", true, ""}, {"gradlab::*", true, ""},
    {"typeinfo for *", true, ""}, {"typeinfo name for *", true, ""}, {"vtable for *", true, ""},
    {"VTT for *", true, ""}, {"guard variable for *", true, ""},
    // operator new/delete and the C++ runtime (exceptions, unwinding, statics).
    {"operator new*", true, ""}, {"operator delete*", true, ""}, {"__cxa_*", true, ""}, {"_Unwind_*", true, ""},
    {"__gxx_personality_v0", true, ""}, {"__dso_handle", true, ""}, {"_GLOBAL_OFFSET_TABLE_", true, ""},
    {"__stack_chk_fail", true, ""}, {"__assert_fail", true, ""}, {"__tls_get_addr", true, ""},
    // The math library, and its vector variants (libmvec: _ZGV…).
    {"exp*", true, ""}, {"log*", true, ""}, {"pow*", true, ""}, {"sqrt*", true, ""}, {"cbrt*", true, ""},
    {"hypot*", true, ""}, {"sin*", true, ""}, {"cos*", true, ""}, {"tan*", true, ""}, {"asin*", true, ""},
    {"acos*", true, ""}, {"atan*", true, ""}, {"erf*", true, ""}, {"tgamma*", true, ""}, {"lgamma*", true, ""},
    {"floor*", true, ""}, {"ceil*", true, ""}, {"round*", true, ""}, {"lround*", true, ""}, {"trunc*", true, ""},
    {"fmod*", true, ""}, {"remainder*", true, ""}, {"fma*", true, ""}, {"fmin*", true, ""}, {"fmax*", true, ""},
    {"fabs*", true, ""}, {"nan*", true, ""}, {"frexp*", true, ""}, {"ldexp*", true, ""}, {"modf*", true, ""},
    {"nextafter*", true, ""}, {"copysign*", true, ""}, {"__*_finite", true, ""}, {"_ZGV*", true, ""},
    {"__libc_single_threaded", true, ""}, {"__isnan*", true, ""}, {"__isinf*", true, ""}, {"__fpclassify*", true, ""}, {"__signbit*", true, ""},
    // Memory and strings (no I/O).
    {"malloc", true, ""}, {"calloc", true, ""}, {"realloc", true, ""}, {"free", true, ""},
    {"aligned_alloc", true, ""}, {"posix_memalign", true, ""}, {"madvise", true, ""}, {"mem*", true, ""}, {"__mem*_chk", true, ""},
    {"str*", true, ""}, {"vsnprintf", true, ""}, {"snprintf", true, ""}, {"__snprintf_chk", true, ""},
    {"__vsnprintf_chk", true, ""}, {"abort", true, ""},
    // Threads of the process itself: OpenMP (lab 10's kernel may use it).
    {"GOMP_*", true, ""}, {"omp_*", true, ""},
};

bool glob_matches(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// A lab.toml pattern: a glob when it has glob characters, else a prefix.
bool lab_pattern_matches(const std::string& pattern, const std::string& name) {
  if (pattern.find_first_of("*?[") != std::string::npos) return glob_matches(pattern, name);
  return name.starts_with(pattern);
}

std::string demangle(const std::string& mangled) {
  if (!mangled.starts_with("_Z")) return mangled;
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), std::free);
  return status == 0 && out ? std::string(out.get()) : mangled;
}

// One line of `nm` (not demangled): its type letter and mangled name.
struct NmSymbol {
  char type = '?';
  std::string name;       // as in the object
  std::string demangled;  // for people and for the rules
};

std::vector<NmSymbol> symbols_of(const fs::path& object) {
  const ProcessResult p = run_process({{"nm", "--no-sort", object.string()}, {}, {30, 60, 0, 16 * 1024}});
  if (!p.started) throw InfrastructureError("cannot run nm (binutils): sudo apt-get install binutils");
  if (!p.ok()) throw InfrastructureError(fmt::format("nm {} failed: {}", object.string(), tail(p.err, 3)));
  static const std::regex line(R"(^\s*(?:[0-9a-fA-F]+\s+)?([A-Za-z?-])\s+(\S+)\s*$)");
  std::vector<NmSymbol> symbols;
  for (const std::string& text : lines_of(p.out)) {
    std::smatch m;
    if (std::regex_match(text, m, line)) symbols.push_back({m[1].str()[0], m[2].str(), demangle(m[2].str())});
  }
  return symbols;
}

std::string run_objdump(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"objdump"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult p = run_process({argv, {}, {60, 120, 0, 256 * 1024}});
  if (!p.started) throw InfrastructureError("cannot run objdump (binutils): sudo apt-get install binutils");
  if (!p.ok()) throw InfrastructureError(fmt::format("objdump on {} failed: {}", args.back(), tail(p.err, 3)));
  return p.out;
}

bool is_below(const fs::path& file, const fs::path& dir) {
  if (dir.empty()) return false;
  const std::string d = dir.string();
  const std::string f = file.string();
  return f.size() > d.size() && f.compare(0, d.size(), d) == 0 && (d.ends_with('/') || f[d.size()] == '/');
}

fs::path canonical_or_normal(const fs::path& path) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : c;
}

bool is_header_name(const fs::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".h" || ext == ".hh" || ext == ".hpp" || ext == ".hxx";
}

bool is_source_name(const fs::path& file) {
  static const std::set<std::string> sources{".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".o", ".a", ".so"};
  return sources.contains(file.extension().string());
}

std::string shown(const fs::path& file, const fs::path& root) {
  return root.empty() ? file.string() : display_path(file.string(), root);
}

CompileError forbidden(const CompiledFile& file, const fs::path& root, int line, const std::string& message,
                       const std::string& context) {
  CompileError e;
  e.file = shown(file.source, root);
  e.line = line;
  e.message = message;
  e.context = context;
  e.forbidden = true;
  return e;
}

// The line of \p source whose #include names \p header's file name; 0 when none does
// (a macro, or another header included it).
int include_line(const fs::path& source, const fs::path& header) {
  static const std::regex directive(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"].*$)");
  const std::vector<std::string> lines = lines_of(read_text(source));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_match(lines[i], m, directive) && fs::path(m[1].str()).filename() == header.filename())
      return static_cast<int>(i) + 1;
  }
  return 0;
}

// The names a function's relocations refer to in one section of `objdump -r` output.
std::vector<std::string> relocations_in(const std::string& dump, const std::string& section) {
  std::vector<std::string> names;
  bool inside = false;
  static const std::regex record(R"(^[0-9a-fA-F]+\s+\S+\s+(\S.*?)(?:[-+]0x[0-9a-fA-F]+)?\s*$)");
  for (const std::string& line : lines_of(dump)) {
    if (line.starts_with("RELOCATION RECORDS FOR [")) {
      inside = line == "RELOCATION RECORDS FOR [" + section + "]:";
      continue;
    }
    std::smatch m;
    if (inside && std::regex_match(line, m, record)) names.push_back(m[1].str());
  }
  return names;
}

}  // namespace

std::string why_forbidden(const std::string& symbol, const StaticPolicy& policy) {
  for (const std::string& pattern : policy.forbidden_symbols)
    if (lab_pattern_matches(pattern, symbol))
      return policy.forbidden_reason.empty() ? fmt::format("this lab may not use it (lab.toml: \"{}\")", pattern)
                                             : policy.forbidden_reason;
  for (const std::string& pattern : policy.allowed_symbols)
    if (lab_pattern_matches(pattern, symbol)) return "";
  for (const SymbolRule& rule : kSymbolRules)
    if (glob_matches(rule.pattern, symbol))
      return rule.allowed ? "" : fmt::format("a lab's code may not call it: it {}", rule.why);
  return "it is not on the list of what a lab's code may call (the math library, the standard library, Eigen, "
         "the framework)";
}

std::vector<fs::path> read_depfile(const std::string& text) {
  // "target: dep dep", continued on the next line after a backslash; a space inside a
  // name is written as backslash-space.
  std::vector<fs::path> files;
  std::string token;
  bool target_seen = false;
  const auto flush = [&] {
    if (token.empty()) return;
    if (!target_seen && token.ends_with(':')) target_seen = true;
    else if (target_seen) files.emplace_back(token);
    token.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      flush();
      ++i;
    } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == ' ') {
      token += ' ';
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else {
      token += c;
    }
  }
  flush();
  return files;
}

StaticPolicy static_policy(const Manifest& m, const fs::path& source, const fs::path& build, const fs::path& files_dir) {
  StaticPolicy policy;
  policy.include_roots = {canonical_or_normal(source / "framework" / "include")};
  // The precompiled header (cmake/Pch.cmake) is force-included by the build itself.
  for (const char* pch : {"gradlab_pch_labs.dir", "gradlab_pch_mutants.dir"})
    policy.include_roots.push_back(canonical_or_normal(build / "CMakeFiles" / pch));
  policy.header_dirs = {canonical_or_normal(m.dir)};
  if (!files_dir.empty()) policy.header_dirs.push_back(canonical_or_normal(files_dir));
  policy.forbidden_symbols = m.forbidden_symbols;
  policy.forbidden_reason = m.forbidden_reason;
  policy.allowed_symbols = m.allowed_symbols;
  return policy;
}

std::optional<CompileError> check_includes(const CompiledFile& file, const StaticPolicy& policy, const fs::path& root) {
  const fs::path self = canonical_or_normal(file.source);
  for (const fs::path& header : file.headers) {
    const fs::path real = canonical_or_normal(header);
    if (real == self) continue;
    std::string problem;
    const bool system = is_below(real, "/usr/include") || is_below(real, "/usr/local/include") ||
                        is_below(real, "/usr/lib");
    const bool framework = std::any_of(policy.include_roots.begin(), policy.include_roots.end(),
                                       [&](const fs::path& r) { return is_below(real, r); });
    const bool lab = std::any_of(policy.header_dirs.begin(), policy.header_dirs.end(),
                                 [&](const fs::path& r) { return is_below(real, r); });
    if (is_source_name(real)) problem = "it is a source file, not a header: a lab file may include headers only";
    else if (system || framework) continue;
    else if (lab && is_header_name(real)) continue;
    else if (lab) problem = "only headers (.h, .hpp) of the lab folder may be included";
    else problem = "it is outside the framework's public headers (framework/include), the lab folder and the "
                   "system headers";
    const int line = include_line(file.source, header);
    return forbidden(file, root, line,
                     fmt::format("forbidden #include: {} ({}){}", shown(real, root), problem,
                                 line == 0 ? " — included through a macro or another header" : ""),
                     "A lab file is compiled only from what it says and the framework's API: include "
                     "\"gradlab/…\" headers, the standard library and Eigen.\n");
  }
  return std::nullopt;
}

std::optional<CompileError> check_object(const CompiledFile& file, const StaticPolicy& policy, const fs::path& root) {
  const std::vector<NmSymbol> symbols = symbols_of(file.object);
  // What the object uses from elsewhere: U (undefined), w/v (weak undefined: only the
  // deny rules, since libstdc++'s headers refer to pthread_* weakly). A symbol a rule
  // denies is reported before one that is merely not on the allow-list.
  for (const bool denied_only : {true, false}) {
    for (const NmSymbol& s : symbols) {
      if (s.type != 'U' && s.type != 'w' && s.type != 'v') continue;
      const std::string why = why_forbidden(s.demangled, policy);
      if (why.empty()) continue;
      const bool unlisted = why.starts_with("it is not on the list");
      if ((denied_only && unlisted) || (s.type != 'U' && unlisted)) continue;
      return forbidden(file, root, 0,
                       fmt::format("forbidden call: {} uses {}: {}", shown(file.source, root), s.demangled, why), "");
    }
  }
  // What the object defines.
  bool has_global_constructor = false;
  for (const NmSymbol& s : symbols) {
    if (s.name.starts_with("_GLOBAL__sub_I_")) has_global_constructor = true;
    const bool global = std::isupper(static_cast<unsigned char>(s.type)) || s.type == 'u' || s.type == 'i';
    if (s.type == 'U' || s.type == 'w' || s.type == 'v') continue;
    // The lab's forbidden symbols also catch templates instantiated here (Eigen's GEMM
    // kernels are defined, weakly, in the object that uses them).
    for (const std::string& pattern : policy.forbidden_symbols)
      if (lab_pattern_matches(pattern, s.demangled))
        return forbidden(file, root, 0,
                         fmt::format("forbidden call: {} uses {}: {}", shown(file.source, root), s.demangled,
                                     why_forbidden(s.demangled, policy)),
                         "");
    if (!global) continue;
    std::string why;
    // (DW.ref.__gxx_personality_v0: the compiler's own pointer to the C++ runtime's
    // exception routine, in every object that may throw.)
    if (!s.name.starts_with("_Z") && !s.name.starts_with("DW.ref."))
      why = "a C function or variable defined here would replace the C library's of the same name for the whole program";
    else if (s.type != 'W' && s.type != 'V' && s.type != 'u' &&
             (s.demangled.starts_with("std::") || s.demangled.starts_with("testing::") ||
              s.demangled.starts_with("operator new") || s.demangled.starts_with("operator delete")))
      why = "it would replace the standard library's, GoogleTest's or the allocator's own definition";
    if (!why.empty())
      return forbidden(file, root, 0, fmt::format("forbidden definition: {} defines {}: {}", shown(file.source, root),
                                                  s.demangled, why),
                       "");
  }
  // Global constructors: code that runs before main. The one <iostream> adds (a
  // std::ios_base::Init object) is harmless and allowed; anything else is not.
  const std::string headers = run_objdump({"-h", "-r", "-C", "-w", file.object.string()});
  const bool init_array = headers.find(" .init_array") != std::string::npos || headers.find(" .ctors") != std::string::npos;
  if (init_array || has_global_constructor) {
    std::vector<std::string> calls = relocations_in(headers, ".init_array");
    const std::vector<std::string> startup = relocations_in(headers, ".text.startup");
    calls.insert(calls.end(), startup.begin(), startup.end());
    const bool only_iostream = has_global_constructor && std::all_of(calls.begin(), calls.end(), [](const std::string& c) {
      return c.starts_with("_GLOBAL__sub_I_") || c.starts_with("std::ios_base::Init::") || c == "__cxa_atexit" ||
             c == "__dso_handle" || c.starts_with(".bss") || c.starts_with(".text.startup");
    });
    if (!only_iostream)
      return forbidden(file, root, 0,
                       fmt::format("forbidden global constructor in {}: code that runs before main (a global object "
                                   "with a constructor, or __attribute__((constructor))). Compute inside the kernels, "
                                   "or use a function-local static.", shown(file.source, root)),
                       "");
  }
  // Inline system calls: instructions that enter the kernel without going through libc.
  static const std::regex syscall_insn(R"(^\s*([0-9a-f]+):\s+(syscall|sysenter|int\s+\$0x80)\b.*$)");
  for (const std::string& line : lines_of(run_objdump({"-d", "-C", "-w", "--no-show-raw-insn", file.object.string()}))) {
    std::smatch m;
    if (std::regex_match(line, m, syscall_insn))
      return forbidden(file, root, 0,
                       fmt::format("forbidden call: {} contains an inline system call ({} at offset 0x{}): a lab's "
                                   "code may not enter the operating system directly", shown(file.source, root),
                                   m[2].str(), m[1].str()),
                       "");
  }
  return std::nullopt;
}

std::optional<CompileError> check_compiled_file(const CompiledFile& file, const StaticPolicy& policy, const fs::path& root) {
  if (auto error = check_includes(file, policy, root)) return error;
  return check_object(file, policy, root);
}

std::vector<CompiledFile> compiled_files_in_build(const fs::path& build, const std::vector<std::string>& targets,
                                                  const std::vector<fs::path>& sources) {
  if (!fs::is_regular_file(build / "build.ninja"))
    throw InfrastructureError(fmt::format("{} is not a Ninja build directory (no build.ninja): the static checks read "
                                          "what Ninja recorded of each compilation (configure with cmake --preset "
                                          "default, which uses Ninja)", build.string()));
  std::vector<std::string> argv{"ninja", "-C", build.string(), "-t", "commands"};
  argv.insert(argv.end(), targets.begin(), targets.end());
  const ProcessResult p = run_process({argv, {}, {30, 60, 0, 64 * 1024}});
  if (!p.ok())
    throw InfrastructureError(fmt::format("ninja -t commands in {} failed: {}", build.string(), tail(p.err + p.out, 3)));
  std::set<fs::path> wanted;
  for (const fs::path& s : sources) wanted.insert(canonical_or_normal(s));
  std::vector<CompiledFile> files;
  std::vector<std::string> objects;  // as Ninja names them
  for (const std::string& command : lines_of(p.out)) {
    static const std::regex output(R"( -o (\S+) )"), input(R"( -c (\S+)\s*$)");
    std::smatch o, i;
    if (!std::regex_search(command, o, output) || !std::regex_search(command, i, input) || !wanted.contains(canonical_or_normal(i[1].str())))
      continue;
    files.push_back({i[1].str(), build / o[1].str(), {}});
    objects.push_back(o[1].str());
  }
  if (files.empty()) return files;
  // One `ninja -t deps OBJ…` for all of them: "OBJ: #deps N, …" then the files, indented.
  std::vector<std::string> deps_argv{"ninja", "-C", build.string(), "-t", "deps"};
  deps_argv.insert(deps_argv.end(), objects.begin(), objects.end());
  const ProcessResult deps = run_process({deps_argv, {}, {30, 60, 0, 16 * 1024}});
  CompiledFile* current = nullptr;
  for (const std::string& line : lines_of(deps.out)) {
    if (!line.starts_with(" ") && line.find(": #deps") != std::string::npos) {
      const std::string object = line.substr(0, line.find(": #deps"));
      const auto at = std::find(objects.begin(), objects.end(), object);
      current = at == objects.end() ? nullptr : &files[static_cast<std::size_t>(at - objects.begin())];
    } else if (current != nullptr && line.starts_with("    ")) {
      current->headers.push_back(build / line.substr(4));  // (absolute stays absolute)
    }
  }
  for (const CompiledFile& file : files)
    if (file.headers.empty())
      throw InfrastructureError(fmt::format("ninja has recorded no dependencies of {} in {} (was it built?)",
                                            file.object.string(), build.string()));
  return files;
}

std::vector<CompiledFile> lab_compiled_files(const Manifest& m, const fs::path& source, const fs::path& build,
                                             const std::string& variant, bool bench) {
  const fs::path dir = variant == "reference" ? source / "solutions" / m.slug : source / "labs" / m.slug;
  std::vector<fs::path> sources;
  for (const std::string& file : m.student_files) sources.push_back(dir / file);
  const std::vector<std::string> targets{bench ? "gradlab_bench_gemm_" + variant : fmt::format("lab{}_{}", m.id, variant)};
  return compiled_files_in_build(build, targets, sources);
}

}  // namespace gradlab::grader

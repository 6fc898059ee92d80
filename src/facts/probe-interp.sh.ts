/**
 * The probe's "interp" section: which source files each Python, Perl, Ruby, PHP, Node or shell
 * process runs, found WITHOUT running anything the host's users control (needrestart ran the
 * process's own interpreter to learn sys.path, and so ran attacker-chosen code: CVE-2024-48990). It
 * reads /proc (exe, cmdline, cwd, fd) and regular files only, and stats files:
 *   - the script from the command line (the interpreter's options skipped; -c/-e code has none),
 *     or the module of `python -m`;
 *   - the modules its text imports, found by a conservative regex per language and resolved as the
 *     language would, without asking it: Python in the script's directory, the interpreter's prefix and
 *     the standard library and site directories (not PYTHONPATH); Perl in `use lib` directories and the
 *     distribution's @INC; Ruby in its load path; PHP, Node (relative requires) and shell (`. file`)
 *     by path; breadth first, to depth maxd;
 *   - the source files it still has open (bash keeps its script on fd 255): their inode is exact.
 * Bounds (END block): maxp interpreter processes, maxf files per process, maxr files read in all,
 * maxb bytes read per file; a file is read only when stat says it is a regular file no larger than maxs
 * bytes (a FIFO planted as a module would block a reader). Processes in another mount namespace (containers,
 * sandboxed services) are left out: their paths are not the probe's.
 * Records (tab separated): R pid lang script|- · U pid depth path · D pid fd target ·
 * T dev inode ctime path (stat of a used file, or of /proc/PID/fd/N) · L what detail (a bound hit).
 * Runs inside the facts probe, after the procs section ($STATCMD decides whether stat exists).
 */
export const INTERP_SH = String.raw`
sec interp
if have stat && have tr && have awk; then
PERLDIRS=; RUBYDIRS=
for d in /etc/perl /usr/local/lib/*/perl/5* /usr/local/share/perl/5* /usr/lib/*/perl5/5* /usr/share/perl5 /usr/lib/*/perl-base /usr/lib/*/perl/5* /usr/share/perl/5* /usr/local/lib/site_perl /usr/local/lib64/perl5 /usr/local/share/perl5 /usr/lib64/perl5/vendor_perl /usr/share/perl5/vendor_perl /usr/lib64/perl5; do
  [ -d "$d" ] && PERLDIRS="$PERLDIRS $d"
done
for d in /usr/local/lib/site_ruby/[0-9]* /usr/local/lib/site_ruby /usr/lib/ruby/vendor_ruby/[0-9]* /usr/lib/ruby/vendor_ruby /usr/lib/ruby/[0-9]* /usr/share/ruby/vendor_ruby /usr/share/ruby /usr/lib64/ruby/[0-9]* /usr/local/share/ruby/site_ruby; do
  [ -d "$d" ] && RUBYDIRS="$RUBYDIRS $d"
done
ls -ld /proc/[0-9]*/exe /proc/[0-9]*/ns/mnt 2>/dev/null | awk -v self="$$" -v sq="'" -v perlsearch="$PERLDIRS" -v rubysearch="$RUBYDIRS" '
function q(s) { gsub(sq, sq "\\" sq sq, s); return sq s sq }
function langof(e,   b) {
  b = e; sub(/ \(deleted\)$/, "", b); sub(/.*\//, "", b)
  if (b ~ /^python[0-9.]*$/) return "python"
  if (b ~ /^perl[0-9.]*$/) return "perl"
  if (b ~ /^ruby[0-9.]*$/) return "ruby"
  if (b ~ /^php[0-9.]*(-cli)?$/) return "php"
  if (b == "node" || b == "nodejs") return "node"
  if (b ~ /^(sh|dash|bash|ash|ksh|ksh93|mksh|zsh)$/) return "shell"
  return ""
}
function dirof(p) { if (p !~ /\//) return "."; sub(/\/[^\/]*$/, "", p); return p == "" ? "/" : p }
function absol(p, base) { return substr(p, 1, 1) == "/" ? p : base "/" p }
# The script (or "m:module") in argv; "" when the code comes from -c/-e/-r or stdin.
function scriptof(l, n,   i, a, takes, glued) {
  takes = l == "python" ? "^-[WXQ]$" : l == "perl" ? "^-[IMmx]$" : l == "ruby" ? "^-[IrCE]$" : l == "php" ? "^-[cdz]$" : l == "node" ? "^(-r|--require|--import|--loader|--experimental-loader|--inspect-port|--title)$" : "^-o$"
  glued = l == "python" ? "^-[WXQ]." : l == "perl" ? "^-[IMmx]." : l == "ruby" ? "^-[IrCE]." : "^$"
  for (i = 2; i <= n; i++) {
    a = av[i]
    if (a == "--") return (i < n) ? av[i + 1] : ""
    if (a == "-") return ""
    if (substr(a, 1, 1) != "-" && substr(a, 1, 1) != "+") return a
    if (a ~ glued) continue
    if (l == "python" && a ~ /^-[A-Za-z0-9?]*c/) return ""
    if (l == "python" && a ~ /^-[A-Za-z0-9?]*m/) { sub(/^-[A-Za-z0-9?]*m/, "", a); return a != "" ? "m:" a : (i < n ? "m:" av[i + 1] : "") }
    if ((l == "perl" || l == "ruby") && a ~ /^-[A-Za-z0-9]*[eE]/) return ""
    if (l == "php" && a ~ /^-[rBRFES]$/) return ""
    if (l == "php" && a == "-f") return (i < n) ? av[i + 1] : ""
    if (l == "node" && a ~ /^(-e|-p|--eval|--print|-pe)$/) return ""
    if (l == "shell" && a ~ /^-[A-Za-z]*c/) return ""
    if (a ~ takes) i++
  }
  return ""
}
# Queues one group of candidate paths (the first that is a regular file wins) for process p.
function want(p, list) { nn++; np_[nn] = p; ng_[nn] = list }
function pyname(p, name, from,   base, lead, rel, k, c, n, ds) {
  if (name ~ /^\./) {
    lead = name; sub(/[^.].*$/, "", lead); rel = substr(name, length(lead) + 1); base = dirof(from)
    for (k = 2; k <= length(lead); k++) base = dirof(base)
    gsub(/\./, "/", rel)
    if (rel != "") want(p, base "/" rel ".py" SUBSEP base "/" rel "/__init__.py")
    return
  }
  gsub(/\./, "/", name); c = ""; n = split(sdir[p] " " pysearch[p], ds, " ")
  for (k = 1; k <= n; k++) if (ds[k] != "") c = c SUBSEP ds[k] "/" name ".py" SUBSEP ds[k] "/" name "/__init__.py"
  want(p, substr(c, 2))
}
function inc(p, name, dirs,   k, c, n, ds) {
  if (substr(name, 1, 1) == "/") { want(p, name); return }
  c = ""; n = split(dirs, ds, " ")
  for (k = 1; k <= n; k++) if (ds[k] != "") c = c SUBSEP ds[k] "/" name
  want(p, substr(c, 2))
}
# What one regular file imports, read once (bounded), as "kind name" records.
function scan(f, l,   line, bytes, m, names, k, nm, s, out, n) {
  bytes = 0; out = ""
  while (bytes < maxb && (getline line < f) > 0) {
    bytes += length(line) + 1
    if (l == "python") {
      if (line ~ /^[ \t]*import[ \t]+[A-Za-z_]/) {
        s = line; sub(/^[ \t]*import[ \t]+/, "", s); sub(/[#;].*$/, "", s); n = split(s, names, ",")
        for (k = 1; k <= n; k++) { nm = names[k]; sub(/^[ \t]+/, "", nm); sub(/[ \t].*$/, "", nm); if (nm ~ /^[A-Za-z_][A-Za-z0-9_.]*$/) out = out "\035py " nm }
      } else if (line ~ /^[ \t]*from[ \t]+\.*[A-Za-z0-9_.]*[ \t]+import[ \t]/) {
        s = line; sub(/^[ \t]*from[ \t]+/, "", s); m = s; sub(/[ \t].*$/, "", m)
        if (m ~ /[A-Za-z0-9_]/) out = out "\035py " m
        sub(/^[^ \t]*[ \t]+import[ \t]+/, "", s); gsub(/[()]/, "", s); sub(/[#;].*$/, "", s); n = split(s, names, ",")
        for (k = 1; k <= n; k++) { nm = names[k]; sub(/^[ \t]+/, "", nm); sub(/[ \t].*$/, "", nm); if (nm ~ /^[A-Za-z_][A-Za-z0-9_]*$/) out = out "\035py " (m ~ /\.$/ ? m : m ".") nm }
      }
    } else if (l == "perl") {
      if (line ~ /^[ \t]*(use|require)[ \t]+[A-Z][A-Za-z0-9_:]*[ \t;]/) {
        s = line; sub(/^[ \t]*(use|require)[ \t]+/, "", s); sub(/[^A-Za-z0-9_:].*$/, "", s); gsub(/::/, "/", s); out = out "\035pm " s ".pm"
      } else if (line ~ /^[ \t]*use[ \t]+lib[ \t]+(qw[ \t]*[(]|["\047(])[ \t]*\//) {
        s = line; sub(/^[ \t]*use[ \t]+lib[ \t]+(qw[ \t]*)?[(]?[ \t]*/, "", s); sub(/[);].*$/, "", s); gsub(/["\047,]/, " ", s)
        n = split(s, names, " "); for (k = 1; k <= n; k++) if (names[k] ~ /^\/[^$@]*$/) out = out "\035lib " names[k]
      }
    } else if (l == "ruby") {
      if (line ~ /^[ \t]*require(_relative)?[ \t(]+["\047][^"\047]+["\047]/) {
        s = line; sub(/^[ \t]*require(_relative)?[ \t(]+["\047]/, "", s); sub(/["\047].*$/, "", s); if (s !~ /\.rb$/) s = s ".rb"
        out = out (line ~ /require_relative/ ? "\035rel " absol(s, dirof(f)) : "\035rb " s)
      }
    } else if (l == "php") {
      if (line ~ /(require|include)(_once)?[ \t(]*["\047][^"\047$]+["\047]/) {
        s = line; sub(/^.*(require|include)(_once)?[ \t(]*["\047]/, "", s); sub(/["\047].*$/, "", s); out = out "\035php " s
      }
    } else if (l == "node") {
      if (line ~ /(require[ \t]*\([ \t]*|^[ \t]*import[ \t].*from[ \t]*|^[ \t]*import[ \t]*)["\047]\.\.?\/[^"\047]+["\047]/) {
        s = line; sub(/^.*(require[ \t]*\([ \t]*|from[ \t]*|import[ \t]*)["\047]/, "", s); sub(/["\047].*$/, "", s); out = out "\035js " absol(s, dirof(f))
      }
    } else if (line ~ /^[ \t]*(\.|source)[ \t]+[^ \t;&|$\140]*\/[^ \t;&|$\140]*[ \t]*$/) {
      s = line; sub(/^[ \t]*(\.|source)[ \t]+/, "", s); sub(/[ \t]*$/, "", s); gsub(/["\047]/, "", s); out = out "\035sh " s
    }
  }
  close(f)
  imps[f] = out
}
# Queues the files process p loads for what file f imports.
function expand(p, f,   recs, n, k, t, nm) {
  n = split(imps[f], recs, "\035")
  for (k = 2; k <= n; k++) {
    t = recs[k]; nm = substr(t, index(t, " ") + 1); t = substr(t, 1, index(t, " ") - 1)
    if (t == "py") pyname(p, nm, f)
    else if (t == "lib") perlinc[p] = perlinc[p] " " nm
    else if (t == "pm") inc(p, nm, perlinc[p] " " perlsearch)
    else if (t == "rb") inc(p, nm, rubysearch)
    else if (t == "rel") want(p, nm)
    else if (t == "php") inc(p, nm, dirof(f) " " cwd[p] " /usr/share/php")
    else if (t == "js") want(p, nm SUBSEP nm ".js" SUBSEP nm ".mjs" SUBSEP nm ".cjs" SUBSEP nm "/index.js")
    else if (t == "sh") want(p, absol(nm, cwd[p]))
  }
}
# stat -L of every candidate not yet known, 200 paths per call.
function statall(n,   i, k, m, list, c, cs) {
  list = ""; c = 0
  for (i = 1; i <= n; i++) {
    m = split(ng[i], cs, SUBSEP)
    for (k = 1; k <= m; k++) if (cs[k] != "" && !(cs[k] in asked)) { asked[cs[k]] = 1; list = list " " q(cs[k]); if (++c == 200) { runstat(list); list = ""; c = 0 } }
  }
  if (c > 0) runstat(list)
}
function runstat(list,   cmd, l, a, y, path) {
  cmd = "stat -L -c \"%F|%s|%d %i %Z|%n\" --" list " 2>/dev/null"
  while ((cmd | getline l) > 0) {
    split(l, a, "|"); split(a[3], y, " "); path = substr(l, length(a[1]) + length(a[2]) + length(a[3]) + 4)
    if (a[1] == "regular file" || a[1] == "regular empty file") { st[path] = y[1] "\t" y[2] "\t" y[3]; sz[path] = a[2] + 0 }
  }
  close(cmd)
}
{
  i = index($0, " -> "); if (!i) next
  pre = substr($0, 1, i - 1); tgt = substr($0, i + 4)
  if (match(pre, /\/proc\/[0-9]+\/exe$/)) { p = substr(pre, RSTART + 6); sub(/\/.*/, "", p); exe[p] = tgt }
  else if (match(pre, /\/proc\/[0-9]+\/ns\/mnt$/)) { p = substr(pre, RSTART + 6); sub(/\/.*/, "", p); mnt[p] = tgt }
}
END {
  maxp = 200; maxf = 100; maxr = 500; maxb = 131072; maxs = 1048576; maxd = 2; nn = 0; procs = 0; fds = ""
  pydirs = "/usr/lib/python@V@ /usr/lib64/python@V@ /usr/local/lib/python@V@/dist-packages /usr/local/lib/python@V@/site-packages /usr/lib/python3/dist-packages /usr/lib/python@V@/site-packages /usr/lib64/python@V@/site-packages /usr/local/lib64/python@V@/site-packages"
  # argv through awk itself when it splits on NUL (mawk, gawk), else one tr per process.
  RS = "\0"; nul = 0; while ((getline a < "/proc/self/cmdline") > 0) nul++; close("/proc/self/cmdline"); RS = "\n"
  np = 0; cwds = ""; fdirs = ""
  for (p in exe) {
    l = langof(exe[p]); if (l == "" || p == self || mnt[p] != mnt[self]) continue
    if (++procs > maxp) { print "L\tprocesses\tmore than " maxp " interpreter processes: the rest were not scanned"; break }
    n = 0; f = "/proc/" p "/cmdline"
    if (nul > 1) { RS = "\0"; while ((getline a < f) > 0) av[++n] = a; close(f); RS = "\n" }
    else { cmd = "tr \"\\000\" \"\\n\" < " f " 2>/dev/null"; while ((cmd | getline a) > 0) av[++n] = a; close(cmd) }
    s = scriptof(l, n); if (s == "") continue
    script[p] = s; lang[p] = l; pl[++np] = p; cwds = cwds " /proc/" p "/cwd"; fdirs = fdirs " /proc/" p "/fd"
  }
  if (np > 0) {
    cmd = "ls -ld" cwds " 2>/dev/null"
    while ((cmd | getline a) > 0) if ((k = index(a, " -> ")) && match(a, /\/proc\/[0-9]+\/cwd -> /)) { p = substr(a, RSTART + 6); sub(/\/.*/, "", p); cwd[p] = substr(a, k + 4) }
    close(cmd)
  }
  for (i = 1; i <= np; i++) {
    p = pl[i]; s = script[p]; l = lang[p]; c = cwd[p]
    if (c == "" && substr(s, 1, 1) != "/") { delete lang[p]; continue }
    v = exe[p]; sub(/.*\/python/, "", v); sub(/ .*/, "", v); pysearch[p] = ""
    if (l == "python" && v ~ /^[0-9]+\.[0-9]+$/) {
      # The prefix of the interpreter first (/opt/py/bin/python3.12: /opt/py/lib/python3.12), as Python finds it.
      d = exe[p]; sub(/\/bin\/python[^\/]*$/, "", d); pysearch[p] = (d != exe[p] && d != "/usr" ? d "/lib/python@V@ " d "/lib/python@V@/site-packages " : "") pydirs
      gsub(/@V@/, v, pysearch[p])
    }
    if (substr(s, 1, 2) == "m:") { sdir[p] = c; script[p] = "-"; print "R\t" p "\t" l "\t-"; pyname(p, substr(s, 3), c "/-") }
    else { s = absol(s, c); script[p] = s; sdir[p] = dirof(s); print "R\t" p "\t" l "\t" s; want(p, s) }
  }
  if (np > 0) {
    cmd = "ls -l" fdirs " 2>/dev/null"; p = ""
    while ((cmd | getline a) > 0) {
      if (a ~ /^\/proc\/[0-9]+\/fd:$/) { p = substr(a, 7); sub(/\/.*/, "", p); continue }
      if (p == "" || !(p in lang) || !(k = index(a, " -> "))) continue
      t = substr(a, k + 4); fd = substr(a, 1, k - 1); sub(/.* /, "", fd); s = script[p]
      if (t !~ /^\// || t ~ /^\/(dev|proc|sys)\//) continue
      if (t ~ /\.(py|pm|pl|rb|php|inc|js|mjs|cjs|sh)( \(deleted\))?$/ || t == s || t == s " (deleted)") { print "D\t" p "\t" fd "\t" t; fds = fds " " q("/proc/" p "/fd/" fd); if (t !~ / \(deleted\)$/ && t != s) want(p, t) }
    }
    close(cmd)
  }
  if (fds != "") {
    cmd = "stat -L -c \"%d %i %Z %n\" --" fds " 2>/dev/null"
    while ((cmd | getline a) > 0) { split(a, x, " "); print "T\t" x[1] "\t" x[2] "\t" x[3] "\t" substr(a, length(x[1] x[2] x[3]) + 4) }
    close(cmd)
  }
  for (depth = 0; depth <= maxd && nn > 0; depth++) {
    n = nn; for (i = 1; i <= n; i++) { ngp[i] = np_[i]; ng[i] = ng_[i] }
    nn = 0; statall(n)
    for (i = 1; i <= n; i++) {
      p = ngp[i]; m = split(ng[i], cs, SUBSEP); f = ""
      for (k = 1; k <= m; k++) if (cs[k] in st) { f = cs[k]; break }
      if (f == "" || ((p SUBSEP f) in used)) continue
      if (++count[p] > maxf) { if (count[p] == maxf + 1) print "L\tfiles\tprocess " p ": stopped after " maxf " files"; continue }
      used[p SUBSEP f] = 1
      print "U\t" p "\t" depth "\t" f
      if (!(f in shown)) { shown[f] = 1; print "T\t" st[f] "\t" f }
      if (depth == maxd || sz[f] > maxs) continue
      if (!(f in imps)) { if (++reads > maxr) { if (reads == maxr + 1) print "L\treads\tstopped after reading " maxr " files"; continue }; scan(f, lang[p]) }
      expand(p, f)
    }
  }
}'
fi
`;

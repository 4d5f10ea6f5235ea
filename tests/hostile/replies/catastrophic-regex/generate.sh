# A column regex that backtracks catastrophically on its input (issue 9 item 14).
sed 's/name: { path: name, type: "varchar(64)" }/name: { path: name, type: regex, pattern: "^(a+)+$" }/' \
    "$HOSTILE_DIR/replies/job.yml" >job.yml

# window.format with %z (issue 9 item 16: sent +0000, windows 8 hours late).
sed "s/^    start: .*/&\n    format: \"%Y-%m-%d %H:%M:%S %z\"\n    timezone: \"+08:00\"/" "$HOSTILE_DIR/replies/job.yml" >job.yml

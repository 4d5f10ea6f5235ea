# window.format %s (epoch seconds) in a job whose zone is +08:00 (issue 9 item 16: %s followed
# the host's zone).
sed 's/^    start: .*/&\n    format: "%s"\n    timezone: "+08:00"/' "$HOSTILE_DIR/replies/job.yml" >job.yml

# An endpoint over plain http to a host that is not local (issue 9 item 13).
sed "s|endpoint: \${env:API_URL}|endpoint: http://api.example.com/router|" "$HOSTILE_DIR/replies/job.yml" >job.yml

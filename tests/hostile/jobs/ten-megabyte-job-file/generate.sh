# A 10 MB job file: the valid job followed by 10 MB of comment lines.
cp "$HOSTILE_DIR/replies/job.yml" job.yml
yes "# padding padding padding padding padding padding padding padding padding padding" | head -n 125000 >>job.yml

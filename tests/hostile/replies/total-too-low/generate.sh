# Every page says total 50 but the window holds 120 distinct records (issue 9 item 6).
{ printf 'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"status":0,"data":{"total":50,"items":['
  for i in $(seq 1 119); do printf '{"id":%d},' "$i"; done; printf '{"id":120}]}}'; } >reply

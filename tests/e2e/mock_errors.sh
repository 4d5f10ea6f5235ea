# mock_errors: every error reply of wdt-api.md section 6 (A gateway, B direct, C business,
# throttles, HTTP faults, truncation, stalls) is produced by some request, with its exact code
# or status and message. Requests are signed by wdt-client (engine/sign/sign.c).
source "$(dirname "$0")/lib.sh"
CLIENT=$SLUICE_BUILD/tools/wdt-client

mock_start --seed 7 --records 300
expect() { # expect "LINE" client-args...: one request, its summary line must equal LINE
    local want=$1 got
    shift
    got=$("$CLIENT" --url "$MOCK_URL" "$@")
    [ "$got" = "$want" ] || fail "wdt-client $*: got '$got', want '$want'"
}
admin() { mock_admin /_admin -X POST -d "$1" >/dev/null; }
stat() { mock_admin /_stats | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }

note "Qimen gateway checks, in order"
expect "code=21 message=Missing method" --drop method
expect "code=22 message=Invalid method" --set method=wdt.trade.query
expect "code=28 message=Missing app key" --drop app_key
expect "code=29 message=Invalid app Key" --set app_key=99999999
expect "code=29 message=Invalid app Key" --set target_app_key=1
expect "code=30 message=Missing timestamp" --drop timestamp
expect "code=31 message=Invalid timestamp" --set "timestamp=2024/06/01 12:00:00"
expect "code=31 message=Invalid timestamp" --clock-offset 660
expect "code=25 message=Invalid signature" --app-secret wrong
expect "code=25 message=Invalid signature" --drop sign
expect "status=1 message=sid is not exists" --sid nobody
expect "status=1 message=验证失败" --wdt-secret wrong
expect "status=1 message=验证失败" --wdt-appkey otherkey
expect "status=0 total=300 records=50" --method 3ldsmu02o9.wdt.aftersales.refund.refund.search

note "direct route checks, in order"
expect "status=1 message=sid is not exists" --route direct --sid nobody
expect "status=8 message=版本错误" --route direct --set v=2.0
expect 'status=1 message=For input string: "1717208130000"' --route direct --set timestamp=1717208130000
expect 'status=1 message=For input string: "abc"' --route direct --set timestamp=abc
expect "status=7 message=时间戳错误" --route direct --clock-offset 180
expect "status=1 message=验证失败" --route direct --wdt-secret wrong
expect "status=100 message=此方法仅支持分页查询：aftersales.refund.Refund.search" --route direct --drop page_no --resign
expect "status=0 total=none records=50" --route direct --set calc_total=0 --resign

note "business rules, both routes"
for r in qimen direct; do
    expect "status=100 message=参数中必须包含起止时间" --route $r --no-window
    expect "status=100 message=您的查询时间过宽,查询时间不能大于30天" --route $r --from "2024-05-01 00:00:00" --to "2024-06-01 00:00:01"
    expect "status=0 total=300 records=50" --route $r --from "2024-05-03 00:00:00" --to "2024-06-02 00:00:00"
    expect 'status=100 message=Unparseable date: "2023/02/06"' --route $r --from 2023/02/06
    expect "status=100 message=page_size超过最大值" --route $r --page-size 1001
    expect "status=0 total=300 records=300" --route $r --page-size 1000
    expect "status=100 message=状态应该是由逗号分隔开的整数数组" --route $r --param 'status="30;90"'
done
expect "status=100 message=此方法仅支持分页查询：aftersales.refund.Refund.search" --drop pager --resign

note "limits: calls per minute, concurrency, gateway qps and bans"
admin '{"calls-per-minute": 2}'
expect "status=0 total=300 records=50"
expect "status=0 total=300 records=50" --route direct
expect "status=100 message=超过每分钟最大调用频率限制，请稍后重试"
expect "status=100 message=超过每分钟最大调用频率限制，请稍后重试" --route direct
[ "$(stat freq)" -ge 2 ] || fail "freq throttles not counted"
admin '{"calls-per-minute": 0, "concurrency": 1, "latency-ms": 400}'
deadline=$((SECONDS + 60)) # arrivals race: retry until two requests overlap
until "$CLIENT" --url "$MOCK_URL" --parallel 4 | grep -qx "status=100 message=超过每分钟最大并发次数限制，请稍后重试"; do
    [ $SECONDS -lt $deadline ] || fail "no concurrency throttle"
done
[ "$(stat conc)" -ge 1 ] && [ "$(stat max_inflight)" -ge 2 ] || fail "concurrency stats"
admin '{"concurrency": 0, "latency-ms": 0, "gateway-qps": 1, "ban-seconds": 30}'
deadline=$((SECONDS + 60))
until "$CLIENT" --url "$MOCK_URL" --parallel 4 | grep -q "^code=7 message=App Call Limited sub_message=This ban will last for"; do
    [ $SECONDS -lt $deadline ] || fail "no gateway throttle"
done
before=$(stat ban_violations)
out=$("$CLIENT" --url "$MOCK_URL")
case $out in "code=7 message=App Call Limited sub_message=This ban will last for "*" more seconds") ;;
    *) fail "a request during the ban got '$out'" ;; esac
[ "$(stat ban_violations)" -gt "$before" ] || fail "ban violation not counted"
admin '{"gateway-qps": 0, "ban_clear": true}'
expect "status=0 total=300 records=50"

note "injected faults"
admin '{"fail-throttle-gw": 1, "ban-seconds": 1}'
expect "code=7 message=App Call Limited sub_message=This ban will last for 1 more seconds"
admin '{"fail-throttle-gw": 0, "ban_clear": true, "fail-throttle-freq": 1}'
expect "status=100 message=超过每分钟最大调用频率限制，请稍后重试"
admin '{"fail-throttle-freq": 0, "fail-throttle-conc": 1}'
expect "status=100 message=超过每分钟最大并发次数限制，请稍后重试" --route direct
for code in 500 502 503; do
    admin "{\"fail-throttle-conc\": 0, \"fail-$code\": 1}"
    expect "http=$code"
    admin "{\"fail-$code\": 0}"
done
admin '{"fail-truncate": 1}'
out=$("$CLIENT" --url "$MOCK_URL")
case $out in "badjson bytes="*) ;; *) fail "truncated reply read as '$out'" ;; esac
admin '{"fail-truncate": 0, "fail-stall": 1, "stall-ms": 3000}'
expect "error=timeout" --timeout-ms 300
admin '{"fail-stall": 0}'
expect "status=0 total=300 records=50"
for f in http_500 http_502 http_503 throttle_gw throttle_freq throttle_conc truncate stall; do
    [ "$(stat $f)" -ge 1 ] || fail "fault $f not counted in /_stats"
done

note "classic TOP error form"
admin '{"classic-errors": 1}'
"$CLIENT" --url "$MOCK_URL" --app-secret wrong --format raw | grep -q '^{"error_response":{"code":25,"msg":"Invalid signature",' ||
    fail "classic error form"
expect "code=25 message=Invalid signature" --app-secret wrong
admin '{"classic-errors": 0, "fail-throttle-gw": 1}'
"$CLIENT" --url "$MOCK_URL" --format raw | grep -q '^{"response":{"flag":"failure","code":7,"message":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_message":"This ban will last for 1 more seconds","request_id":"mock-[0-9]*"}}$' ||
    fail "Qimen error form"
admin '{"fail-throttle-gw": 0, "ban_clear": true}'

note "bad admin requests are refused"
curl -sS -o /dev/null -w '%{http_code}' -X POST -d '{"fail-500": 2}' "$MOCK_URL/_admin" | grep -qx 400 || fail "out-of-range knob accepted"
curl -sS -o /dev/null -w '%{http_code}' -X POST -d '{"no-such-knob": 1}' "$MOCK_URL/_admin" | grep -qx 400 || fail "unknown knob accepted"
note "ok"

/** The CLI's help text. */
export const USAGE = `guildhall — a local task-processing cluster (Redis + BullMQ workers) on your container engine

Usage: guildhall <command> [options]

Cluster
  up [--workers N] [--redis-port P] [--no-wait]   create or update the cluster and wait until ready
  down [--volumes]                                stop and remove it (--volumes also deletes Redis data)
  status [--json]                                 engine, Redis and workers at a glance
  pools [--json]                                  each pool: kind, image, replicas wanted, containers and their state
  scale [POOL] N                                  run N containers in POOL (0–64 in all pools; POOL may be left out while there is one pool)
  logs [redis|POOL-N] [--follow] [--tail N]       container logs, e.g. worker-2, tools-1 (default: redis)
  connect                                         print the Redis URL (with password) for your own clients
  apply FILE [--dry-run] [--json]                 check a cluster file (YAML or JSON), print the plan, save it and run up
  spec [--json]                                   print the cluster's spec as a cluster file (YAML)

Export (the cluster for another engine)
  export kubernetes [--namespace NS] [--keda] [--registry R] [--out DIR]
                                                  Kubernetes manifests (KEDA ScaledObjects for autoscaled pools with --keda)

Queues
  queues [--json]                                 queues with counts by state
  jobs <queue> [--state S] [--count N] [--json]   a queue's most recent jobs of any state, or of one (waiting, active, completed, failed, delayed…)
  job <queue> <id> [--json]                       one job: data, state, result or failure, log tail, times
  add <queue> <json> [--name N] [--attempts N] [--delay MS] [--priority P]   add a job (built-in queues: data checked first)
  retry <queue> <id> | retry <queue> --all        retry a failed job, or every failed job of a queue
  clean <queue> --state S [--grace MS] [--limit N]   remove completed, failed… jobs older than --grace
  cancel <queue> <id> [--json]                    stop a running job (it fails "cancelled by user")
  search <queue> [--state S] (--text T | --path P --value JSON) [--limit N] [--json]
                                                  jobs by data: a substring, or a field equal to a value
  limits [<queue>] [--concurrency N|none] [--rate MAX/MS|none] [--json]
                                                  show or set a queue's limits across all workers

Schedules (BullMQ job schedulers; times in this machine's time zone)
  schedules [--json]                              schedules with next and last run
  schedule add <queue> --cron EXPR|--every MS --name N [--data JSON] [--tz TZ]
           [--id ID] [--limit N] [--start DATE] [--end DATE] [--attempts N]
  schedule rm|pause|resume ID [--queue Q]         remove, pause (kept, no jobs) or resume one

Flows (trees of jobs across queues; children run before their parent)
  flows [--json]                                  the latest flows with their jobs by state
  flow add FILE [--json]                          add a flow from a JSON file (YAML is not read)
  flow show <queue> <id> [--json]                 the tree a job belongs to

Images
  image load FILE                                 load images from a \`docker save\` tarball
  image build [POOL]                              build every pool's image (or POOL's): the worker image, plus packages and dockerfile
  image push REGISTRY                             tag every pool's image under REGISTRY and push it (for an exported cluster)

Export (the same cluster on another engine)
  export compose [--out FILE] [--registry R]      a compose file for docker compose, docker-compose and docker stack deploy;
                                                  --out writes its secret files beside it (0600); without it, the file to stdout

Settings (saved for good; applied by the next \`up\`)
  secret set NAME                                 store a secret for pools (value from stdin, or typed unseen)
  secret rm NAME | secret ls [--json]             remove one; list names and the pools using each (never values)
  config get [KEY] [--json]                       show settings (all of them without KEY)
  config set KEY VALUE                            change one, validated (nothing is saved if it is invalid)
  config unset KEY                                back to the default
  keys: workers.processorsDir, redis.image, workers.baseImage, workers.concurrency, workers.cpus,
        workers.memoryMb, workers.allowPrivateNetworks, redis.persistence

Other
  doctor [--json] [--bundle FILE]                 check the engine and the cluster; write a support bundle
  doctor --fix ID [--confirm TEXT] [--file PATH]  apply a fix the checks offered
  console [--port P] [--metrics-port P]           serve the control console to a browser on 127.0.0.1
  supervise                                       heal the cluster in the foreground (one supervisor acts per cluster)
  events [--follow] [--json] [--limit N]          what the supervisor did and decided, and who supervises
  audit [--since T] [--json] [--verify]           who did what (filters: --face, --action, --target, --until, --limit)
  metrics [--port P] [--token-file F]             serve Prometheus metrics on 127.0.0.1 (bearer token)
  alerts [--json]                                 active and recent alerts, and each webhook's last delivery
  alerts test [--webhook NAME] [--json]           send a test message to the webhooks (alerts.webhooks)
  help                                            this text

Common options: --json (machine-readable output), --plain (no progress bars).
Environment: GUILDHALL_HOME (settings folder), GUILDHALL_REDIS_IMAGE and GUILDHALL_WORKER_BASE_IMAGE (override redis.image and workers.baseImage in this shell), DOCKER_HOST.
Exit codes: 0 ok, 1 failure, 2 usage, 3 engine problem, 4 port in use, 5 image problem, 6 not found, 7 checks failed.`;

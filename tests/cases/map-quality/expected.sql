SET NAMES utf8mb4;

-- migrate: create table `t`
CREATE TABLE IF NOT EXISTS `t` (
  `id` INT NOT NULL,
  `total` DECIMAL(10,2),
  `refund` DECIMAL(10,2),
  `at` DATETIME,
  `code` VARCHAR(16),
  `status` VARCHAR(8),
  `trade` VARCHAR(16),
  `phone` VARCHAR(16),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create state table `sluice_state`
CREATE TABLE IF NOT EXISTS `sluice_state` (
  `job` VARCHAR(64) NOT NULL COMMENT 'job name',
  `watermark` BIGINT NOT NULL COMMENT 'synced up to here: epoch seconds, UTC',
  `watermark_text` VARCHAR(32) NOT NULL COMMENT 'the watermark in the window zone',
  `updated_at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`job`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create runs table `sluice_runs`
CREATE TABLE IF NOT EXISTS `sluice_runs` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `job` VARCHAR(64) NOT NULL,
  `started_at` DATETIME(3) NOT NULL COMMENT 'UTC',
  `ended_at` DATETIME(3) COMMENT 'UTC; NULL while running or after a crash',
  `status` VARCHAR(16) NOT NULL COMMENT 'running, ok, or the failure (sl_status name)',
  `message` VARCHAR(1024),
  `windows` BIGINT NOT NULL DEFAULT '0',
  `pages` BIGINT NOT NULL DEFAULT '0',
  `rows_written` BIGINT NOT NULL DEFAULT '0',
  `rejects` BIGINT NOT NULL DEFAULT '0',
  `retries` BIGINT NOT NULL DEFAULT '0',
  `throttles` BIGINT NOT NULL DEFAULT '0',
  `watermark_from` BIGINT COMMENT 'epoch seconds at the start',
  `watermark_to` BIGINT COMMENT 'epoch seconds at the end',
  PRIMARY KEY (`id`),
  KEY `sluice_job` (`job`,`started_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create reject table `sluice_rejects`
CREATE TABLE IF NOT EXISTS `sluice_rejects` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `job` VARCHAR(64) NOT NULL,
  `record_key` VARCHAR(255) COMMENT 'the key cells, comma-separated',
  `column_name` VARCHAR(64),
  `reason` VARCHAR(1024) NOT NULL,
  `raw` LONGTEXT COMMENT 'the record as JSON',
  `created_at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `sluice_job` (`job`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create quality table `sluice_quality`
CREATE TABLE IF NOT EXISTS `sluice_quality` (
  `run_id` BIGINT NOT NULL COMMENT 'the run (runs table id)',
  `job` VARCHAR(64) NOT NULL,
  `rule` VARCHAR(64) NOT NULL COMMENT 'the quality rule\'s name',
  `kind` VARCHAR(16) NOT NULL COMMENT 'range, pattern, values, not_null, unique or check',
  `action` VARCHAR(8) NOT NULL COMMENT 'reject or warn',
  `checked` BIGINT NOT NULL DEFAULT '0' COMMENT 'rows the rule checked',
  `failed` BIGINT NOT NULL DEFAULT '0' COMMENT 'rows it failed (not_null: rows without a value)',
  `run_failed` TINYINT(1) NOT NULL DEFAULT '0' COMMENT 'not_null: the run\'s share was under the rule\'s',
  PRIMARY KEY (`run_id`,`rule`),
  KEY `sluice_job` (`job`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

START TRANSACTION;
REPLACE INTO `t` (`id`,`total`,`refund`,`at`,`code`,`status`,`trade`,`phone`) VALUES
('1','10.00','10.00','2024-06-01 08:00:00','AB-1','new','T1','1'),
('2','1000.00','0.00','2024-06-01 08:00:00','AB-2','new','T2','1'),
('5','5.00','0.00','2023-12-31 23:59:59','AB-5','paid','T5',NULL),
('11',NULL,NULL,NULL,NULL,NULL,NULL,NULL);
INSERT INTO `sluice_rejects` (`job`,`record_key`,`column_name`,`reason`,`raw`) VALUES
('map_quality','3','total','rule total_range: \'1000.01\' is above max 1000.00','{\"id\":3,\"total\":\"1000.005\",\"refund\":\"0\",\"at\":\"2024-06-01 08:00:00\",\"code\":\"AB-3\",\"status\":\"new\",\"trade\":\"T3\",\"phone\":\"1\"}'),
('map_quality','4','total','rule total_range: \'-0.01\' is below min 0','{\"id\":4,\"total\":\"-0.01\",\"refund\":\"0\",\"at\":\"2024-06-01 08:00:00\",\"code\":\"AB-4\",\"status\":\"new\",\"trade\":\"T4\",\"phone\":\"1\"}'),
('map_quality','6','code','rule code_format: \'ab-6\' does not match the pattern','{\"id\":6,\"total\":\"5\",\"refund\":\"0\",\"at\":\"2024-06-01 08:00:00\",\"code\":\"ab-6\",\"status\":\"paid\",\"trade\":\"T6\",\"phone\":\"1\"}'),
-- ... 3 more rows ...
('map_quality','10','refund','rule refund_le_total: refund <= total is false (refund \'10.00\', total \'9.00\')','{\"id\":10,\"total\":\"9\",\"refund\":\"10\",\"at\":\"2024-06-01 08:00:00\",\"code\":\"AB-10\",\"status\":\"paid\",\"trade\":\"T10\",\"phone\":\"1\"}');
COMMIT;


SET NAMES utf8mb4;

-- migrate: create table `shops`
CREATE TABLE IF NOT EXISTS `shops` (
  `id` INT NOT NULL,
  `name` VARCHAR(16),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `shop_tags`
CREATE TABLE IF NOT EXISTS `shop_tags` (
  `shop_id` INT NOT NULL,
  `tag` VARCHAR(16) NOT NULL,
  PRIMARY KEY (`shop_id`,`tag`),
  KEY `sluice_parent` (`shop_id`)
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

-- full refresh: the rows go to shadow tables, the live tables stay as they are
DROP TABLE IF EXISTS `shops__sluice_new`, `shop_tags__sluice_new`, `shops__sluice_old`, `shop_tags__sluice_old`;
CREATE TABLE `shops__sluice_new` LIKE `shops`;
CREATE TABLE `shop_tags__sluice_new` LIKE `shop_tags`;

START TRANSACTION;
REPLACE INTO `shops__sluice_new` (`id`,`name`) VALUES
('1','north'),
('2','south'),
('3','east');
DELETE FROM `shop_tags__sluice_new` WHERE `shop_id` IN (
'1',
'2',
'3'
);
REPLACE INTO `shop_tags__sluice_new` (`shop_id`,`tag`) VALUES
('1','a'),
('1','b'),
('3','c');
COMMIT;

-- full refresh: the guard compares the rows read with the table's (a dry-run cannot count them), then swaps the shadows in at once
RENAME TABLE `shops` TO `shops__sluice_old`, `shops__sluice_new` TO `shops`, `shop_tags` TO `shop_tags__sluice_old`, `shop_tags__sluice_new` TO `shop_tags`;
DROP TABLE IF EXISTS `shops__sluice_old`, `shop_tags__sluice_old`;


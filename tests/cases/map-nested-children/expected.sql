SET NAMES utf8mb4;

-- migrate: create table `t`
CREATE TABLE IF NOT EXISTS `t` (
  `id` INT NOT NULL,
  `status` VARCHAR(16),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `t_line`
CREATE TABLE IF NOT EXISTS `t_line` (
  `order_id` INT NOT NULL,
  `line_no` INT NOT NULL,
  `order_status` VARCHAR(16),
  `sku` VARCHAR(16),
  PRIMARY KEY (`order_id`,`line_no`),
  KEY `sluice_parent` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `t_disc`
CREATE TABLE IF NOT EXISTS `t_disc` (
  `order_id` INT NOT NULL,
  `line_no` INT NOT NULL,
  `code` VARCHAR(16) NOT NULL,
  `amount` DECIMAL(8,2),
  PRIMARY KEY (`order_id`,`line_no`,`code`),
  KEY `sluice_parent` (`order_id`,`line_no`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `t_disc_tag`
CREATE TABLE IF NOT EXISTS `t_disc_tag` (
  `tag_id` INT NOT NULL,
  `order_id` INT,
  `line_no` INT,
  `code` VARCHAR(16),
  `name` VARCHAR(16),
  PRIMARY KEY (`tag_id`),
  KEY `sluice_parent` (`order_id`,`line_no`,`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `t_pay`
CREATE TABLE IF NOT EXISTS `t_pay` (
  `pay_id` INT NOT NULL,
  `order_id` INT,
  `amount` DECIMAL(8,2),
  PRIMARY KEY (`pay_id`),
  KEY `sluice_parent` (`order_id`)
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

START TRANSACTION;
REPLACE INTO `t` (`id`,`status`) VALUES
('1','paid'),
('3','shipped');
DELETE `t_disc_tag` FROM `t_disc_tag` JOIN `t_disc` ON `t_disc_tag`.`order_id` = `t_disc`.`order_id` AND `t_disc_tag`.`line_no` = `t_disc`.`line_no` AND `t_disc_tag`.`code` = `t_disc`.`code` JOIN `t_line` ON `t_disc`.`order_id` = `t_line`.`order_id` AND `t_disc`.`line_no` = `t_line`.`line_no` WHERE `t_line`.`order_id` IN (
'1',
'3'
);
DELETE `t_disc` FROM `t_disc` JOIN `t_line` ON `t_disc`.`order_id` = `t_line`.`order_id` AND `t_disc`.`line_no` = `t_line`.`line_no` WHERE `t_line`.`order_id` IN (
'1',
'3'
);
DELETE FROM `t_line` WHERE `order_id` IN (
'1',
'3'
);
REPLACE INTO `t_line` (`order_id`,`line_no`,`order_status`,`sku`) VALUES
('1','1','paid','A'),
('1','2','paid','B'),
('3','1','shipped','D');
REPLACE INTO `t_disc` (`order_id`,`line_no`,`code`,`amount`) VALUES
('1','1','VIP','1.50'),
('1','1','NEW','2.00'),
('3','1','X','0.50');
REPLACE INTO `t_disc_tag` (`tag_id`,`order_id`,`line_no`,`code`,`name`) VALUES
('901','1','1','VIP','x'),
('931','3','1','X','y'),
('932','3','1','X','z');
DELETE FROM `t_pay` WHERE `order_id` IN (
'1',
'3'
);
REPLACE INTO `t_pay` (`pay_id`,`order_id`,`amount`) VALUES
('71','1','10.00');
INSERT INTO `sluice_rejects` (`job`,`record_key`,`column_name`,`reason`,`raw`) VALUES
('map_nested','2','t_disc.code','required value is missing','{\"id\":2,\"status\":\"new\",\"lines\":[{\"no\":1,\"sku\":\"C\",\"discounts\":[{\"amount\":\"3\"}]}]}');
COMMIT;


SET NAMES utf8mb4;

-- migrate: create table `people`
CREATE TABLE IF NOT EXISTS `people` (
  `id` INT NOT NULL,
  `receiver_name` VARCHAR(16),
  `receiver_phone` VARCHAR(11),
  `email` VARCHAR(64),
  `address` TEXT,
  `buyer_nick` VARCHAR(16),
  `city` VARCHAR(16),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `people_orders`
CREATE TABLE IF NOT EXISTS `people_orders` (
  `order_id` INT NOT NULL,
  `person_id` INT,
  `qty` INT,
  `receiver_phone` VARCHAR(64),
  PRIMARY KEY (`order_id`),
  KEY `sluice_parent` (`person_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `people_order_notes`
CREATE TABLE IF NOT EXISTS `people_order_notes` (
  `note_id` INT NOT NULL,
  `order_id` INT,
  `contact_name` VARCHAR(32),
  PRIMARY KEY (`note_id`),
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
REPLACE INTO `people` (`id`,`receiver_name`,`receiver_phone`,`email`,`address`,`buyer_nick`,`city`) VALUES
('1','张**','138******78','efb36d74c2dc5e69902fc691ff37c14dfdbbd19ee58cb44cfe8d268ccee757ed',NULL,'lj','Hangzhou'),
('2','L*','139******11','32e05a2a0db4ad118b3dd9024a51afee83aa51bd02339831710cdcef2df81cff',NULL,'',NULL),
('5',NULL,'',NULL,NULL,NULL,NULL);
DELETE `people_order_notes` FROM `people_order_notes` JOIN `people_orders` ON `people_order_notes`.`order_id` = `people_orders`.`order_id` WHERE `people_orders`.`person_id` IN (
'1',
'2',
'5'
);
DELETE FROM `people_orders` WHERE `person_id` IN (
'1',
'2',
'5'
);
REPLACE INTO `people_orders` (`order_id`,`person_id`,`qty`,`receiver_phone`) VALUES
('11','1','2','05ec8d79e8cc09ed99aa938b4d7714e3d1bafdeefa21bb9f942fb862f50cfcd2');
REPLACE INTO `people_order_notes` (`note_id`,`order_id`,`contact_name`) VALUES
('111','11','Ali******th'),
('112','11','B*');
INSERT INTO `sluice_rejects` (`job`,`record_key`,`column_name`,`reason`,`raw`) VALUES
('map_personal','3','people_orders.qty','not an integer: \"many\"','{\"id\":3,\"name\":{\"sluice_personal\":\"mask\",\"value\":\"王**\"},\"phone\":{\"sluice_personal\":\"mask\",\"value\":\"137******22\"},\"nick\":\"wx\",\"contact\":{\"email\":{\"sluice_personal\":\"hash\",\"value\":\"113ea1d9ca88ac29c07b38914b837649f64af2bc4e5aba3e1dbbda29734b4447\"},\"city\":\"Ningbo\"},\"orders\":[{\"id\":31,\"qty\":\"many\",\"ship\":{\"phone\":{\"sluice_personal\":\"hash\",\"value\":\"34751ae900501c4f095e38829b8a06b67656298fe03fb54780498165b2ca1950\"}},\"notes\":[{\"id\":311,\"by\":{\"sluice_personal\":\"mask\",\"value\":\"Car*****ng\"}}]}]}'),
('map_personal','4','receiver_phone','the value does not convert to the column\'s type (not quoted: personal data)','{\"id\":4,\"name\":{\"sluice_personal\":\"mask\",\"value\":\"D**\"},\"phone\":{\"sluice_personal\":\"mask\",\"value\":\"+86******************ra\"},\"contact\":{}}');
COMMIT;


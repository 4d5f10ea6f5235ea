SET NAMES utf8mb4;

-- migrate: create table `aftersales_refund_refund_search`
CREATE TABLE IF NOT EXISTS `aftersales_refund_refund_search` (
  `refund_id` BIGINT NOT NULL,
  `src_tids` VARCHAR(1024),
  `refund_no` VARCHAR(64),
  `remark` VARCHAR(1024),
  `type` INT,
  `stockin_status` INT,
  `flag_name` VARCHAR(64),
  `return_goods_count` DECIMAL(19,4) DEFAULT '0.0000',
  `receiver_telno` VARCHAR(64),
  `receiver_name` VARCHAR(128),
  `modified` DATETIME,
  `note_count` INT,
  `shop_no` VARCHAR(64),
  `from_type` INT,
  `created` DATETIME,
  `settle_time` DATETIME,
  `check_time` DATETIME,
  `return_logistics_no` VARCHAR(64),
  `trade_no_list` VARCHAR(1024),
  `guarantee_refund_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `return_goods_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `return_logistics_name` VARCHAR(64),
  `reason_name` VARCHAR(128),
  `refund_reason` VARCHAR(255),
  `buyer_nick` VARCHAR(128),
  `operator_name` VARCHAR(64),
  `actual_refund_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `revert_reason_name` VARCHAR(128),
  `return_warehouse_no` VARCHAR(64),
  `direct_refund_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `receive_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `customer_name` VARCHAR(128),
  `fenxiao_nick_name` VARCHAR(128) DEFAULT '',
  `status` INT,
  `shop_id` INT,
  `trade_id` BIGINT,
  `raw_refund_nos` VARCHAR(1024),
  `pay_id` VARCHAR(64),
  `provider_refund_no` VARCHAR(64),
  PRIMARY KEY (`refund_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- migrate: create child table `aftersales_refund_refund_search_detail`
CREATE TABLE IF NOT EXISTS `aftersales_refund_refund_search_detail` (
  `rec_id` BIGINT NOT NULL,
  `refund_id` BIGINT,
  `oid` VARCHAR(64),
  `tid` VARCHAR(64),
  `trade_no` VARCHAR(64),
  `goods_no` VARCHAR(64),
  `goods_name` VARCHAR(255),
  `spec_no` VARCHAR(64),
  `spec_name` VARCHAR(255),
  `barcode` VARCHAR(64),
  `num` DECIMAL(19,4) DEFAULT '0.0000',
  `price` DECIMAL(19,4) DEFAULT '0.0000',
  `original_price` DECIMAL(19,4) DEFAULT '0.0000',
  `refund_num` DECIMAL(19,4) DEFAULT '0.0000',
  `total_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `refund_amount` DECIMAL(19,4) DEFAULT '0.0000',
  `is_guarantee` TINYINT(1),
  `created` DATETIME,
  `modified` DATETIME,
  PRIMARY KEY (`rec_id`),
  KEY `sluice_parent` (`refund_id`)
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


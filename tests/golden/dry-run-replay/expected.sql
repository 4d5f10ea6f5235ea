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

START TRANSACTION;
REPLACE INTO `aftersales_refund_refund_search` (`refund_id`,`src_tids`,`refund_no`,`remark`,`type`,`stockin_status`,`flag_name`,`return_goods_count`,`receiver_telno`,`receiver_name`,`modified`,`note_count`,`shop_no`,`from_type`,`created`,`settle_time`,`check_time`,`return_logistics_no`,`trade_no_list`,`guarantee_refund_amount`,`return_goods_amount`,`return_logistics_name`,`reason_name`,`refund_reason`,`buyer_nick`,`operator_name`,`actual_refund_amount`,`revert_reason_name`,`return_warehouse_no`,`direct_refund_amount`,`receive_amount`,`customer_name`,`fenxiao_nick_name`,`status`,`shop_id`,`trade_id`,`raw_refund_nos`,`pay_id`,`provider_refund_no`) VALUES
('1130005','T202523527053','TK2401130005','','2','0','待跟进','5.0000','13693209682','李女士','2024-06-01 19:43:37','3','shop05','0','2024-06-01 16:47:33','2024-06-01 17:04:20','2024-06-01 16:54:43','238948929281','JY2403338569','976.8100','976.8100','申通快递','与商品描述不符','与商品描述不符','王**','系统','976.8100','无','wh02','0.0000','0.0000','王**','','90','715','3338569','RR3390015','2024431593165199749',''),
('1130003','T202514102265','TK2401130003','外包装破损，已拍照留证','2','2','无','5.0000','13647143053','Tony','2024-06-01 19:52:30','2','shop05','0','2024-05-31 02:51:14',NULL,NULL,'238928768285','JY2403083845','1079.5300','1079.5300','中通快递','质量问题','质量问题','王**','陈静','1079.5300','无','wh02','0.0000','0.0000','王**','','10','715','3083845','RR3390009','2024864261079056043',''),
('1130004','T202507031306','TK2401130004','赠品需一并退回','1','0','无','0.0000','','','2024-06-01 19:52:30','3','shop01','0','2024-05-30 00:11:50',NULL,NULL,'','JY2402892738','861.4400','0.0000','','不想要了','不想要了','清风徐来2019','李娜','861.4400','无','wh01','0.0000','0.0000','清风徐来2019','','10','711','2892738','RR3390012','2024657281963873511',''),
-- ... 56 more rows ...
('1130019','T202503416110','TK2401130019','','1','0','待跟进','0.0000','13628411347','王先生','2024-06-01 19:20:20','2','shop05','2','2024-05-31 04:56:05',NULL,NULL,'','JY2402795030','674.5900','0.0000','','尺码不合适','尺码不合适','清风徐来2019','李娜','674.5900','无','wh02','0.0000','0.0000','清风徐来2019','','10','715','2795030','RR3390057','2024958593005503749','');
DELETE FROM `aftersales_refund_refund_search_detail` WHERE `refund_id` IN (
'1130005',
'1130003',
'1130004',
-- ... 56 more rows ...
'1130019'
);
REPLACE INTO `aftersales_refund_refund_search_detail` (`rec_id`,`refund_id`,`oid`,`tid`,`trade_no`,`goods_no`,`goods_name`,`spec_no`,`spec_name`,`barcode`,`num`,`price`,`original_price`,`refund_num`,`total_amount`,`refund_amount`,`is_guarantee`,`created`,`modified`) VALUES
('1137020','1130005','O33385698','T202523527053','JY2403338569','G001','纯棉圆领短袖T恤','G001-WS','白色 S','6900000000002','2.0000','69.9000','83.9000','2.0000','139.8000','130.9300','1','2024-06-01 16:47:33','2024-06-01 19:43:37'),
('1137021','1130005','O33385698','T202523527053','JY2403338569','G010','家用多功能破壁料理机','G010-RM','红色 M','6900000000090','1.0000','599.0000','600.0000','1.0000','599.0000','529.6300','0','2024-06-01 16:47:33','2024-06-01 19:43:37'),
('1137022','1130005','O33385691','T202523527053','JY2403338569','G003','女士修身碎花连衣裙','G003-GF','灰色 均码','6900000000024','1.0000','259.0000','265.0000','1.0000','259.0000','228.6800','0','2024-06-01 16:47:33','2024-06-01 19:43:37'),
-- ... 154 more rows ...
('1137077','1130019','O27950307','T202503416110','JY2402795030','G008','羊毛混纺格纹围巾','G008-RM','红色 M','6900000000070','3.0000','158.0000','161.0000','3.0000','474.0000','413.9900','1','2024-05-31 04:56:05','2024-06-01 19:20:20');
COMMIT;

